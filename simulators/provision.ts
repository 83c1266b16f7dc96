/** Provisions a simulated fleet through the HTTP API, as an integrator's script would. */
import { DEVICE_KINDS, type Building, type Community, type DeviceKind, type Grid, type LoginAnswer, type ProvisionedDevice } from '../contract/index.ts';
import type { DeviceCredentials } from './credentials.ts';

export class ApiClient {
  private token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  /** Another client on the same service, signed in as someone else (e.g. a grid worker). */
  async as(username: string, password: string): Promise<ApiClient> {
    const other = new ApiClient(this.baseUrl);
    await other.login(username, password);
    return other;
  }

  async login(username: string, password: string): Promise<LoginAnswer> {
    const answer = await this.call<LoginAnswer>('POST', '/auth/login', { username, password });
    this.token = answer.token;
    return answer;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface ProvisionFleetOptions {
  count: number;
  kinds?: readonly DeviceKind[];
  communityName?: string;
}

/** Creates (or reuses) a simulation community with a grid and buildings, then `count` devices of the kinds, round-robin. */
export async function provisionFleet(api: ApiClient, options: ProvisionFleetOptions): Promise<DeviceCredentials[]> {
  const name = options.communityName ?? '模拟社区 Simulation';
  const communities = await api.call<Community[]>('GET', '/communities');
  const community = communities.find((c) => c.name === name) ?? (await api.call<Community>('POST', '/communities', { name, kind: 'urban' }));
  const grids = await api.call<Grid[]>('GET', `/grids?communityId=${community.id}`);
  const grid = grids[0] ?? (await api.call<Grid>('POST', '/grids', { communityId: community.id, name: '模拟网格' }));
  let buildings = await api.call<Building[]>('GET', `/buildings?communityId=${community.id}`);
  if (!buildings.length) {
    buildings = [];
    for (let i = 1; i <= 4; i++) {
      buildings.push(await api.call<Building>('POST', '/buildings', { communityId: community.id, gridId: grid.id, name: `${i}号楼`, position: { x: 100 * i, y: 100 }, floors: 6 }));
    }
  }
  const kinds = options.kinds?.length ? options.kinds : DEVICE_KINDS;
  const fleet: DeviceCredentials[] = [];
  for (let i = 0; i < options.count; i++) {
    const kind = kinds[i % kinds.length]!;
    // Two of every kind per building, so building-level scenarios (two smoke detectors) find a pair.
    const building = buildings[Math.floor(i / (2 * kinds.length)) % buildings.length]!;
    const device = await api.call<ProvisionedDevice>('POST', '/devices', {
      kind,
      communityId: community.id,
      location: { buildingId: building.id, floor: 1 + (i % 6) },
    });
    fleet.push({ id: device.id, secret: device.secret, kind, communityId: community.id, buildingId: building.id });
  }
  return fleet;
}
