/**
 * Residents' requests (接诉即办) for the demo street, through the public API as the control room and
 * residents would make them: one past its deadline (it escalates at the first sweep), some open or in
 * progress, and some closed and rated, so the control room can see what is overdue and how satisfied
 * residents are per grid.
 */
import type { RequestCreate, RequestCreated } from '../../contract/index.ts';
import type { ApiClient } from '../../simulators/provision.ts';

const HOUR = 3600_000;

interface DemoRequest {
  body: RequestCreate;
  /** How long ago the resident asked. */
  agoH: number;
  respond?: string;
  progress?: string;
  close?: string;
  rating?: { rating: 'good' | 'fair' | 'bad'; comment?: string };
}

const call = (name: string, phone: string) => ({ name, phone });

const REQUESTS: DemoRequest[] = [
  // Past its first-response deadline and unanswered: the grid leader and then the duty officer are paged.
  {
    agoH: 30,
    body: { category: 'repair', channel: 'phone', description: '2号楼3单元电梯停在8楼不动，老人下不了楼', place: { communityId: 'xfl', buildingId: 'xfl-b2', unit: '3' }, contact: call('刘奶奶', '13912340001') },
  },
  {
    agoH: 0.5,
    body: { category: 'safety', channel: 'web', description: '地下车库入口有电动车充电，插线板冒烟', place: { communityId: 'xfl', buildingId: 'xfl-gar' }, contact: call('周先生', '13912340002') },
  },
  {
    agoH: 3,
    respond: '已电话联系，今天下午上门查看',
    progress: '已联系志愿者，明天起每天送餐',
    body: { category: 'elderly', channel: 'phone', description: '独居老人腿脚不便，希望有人帮忙买菜送餐', place: { communityId: 'tyc', buildingId: 'tyc-zjy' }, contact: call('张大爷', '13912340003') },
  },
  {
    agoH: 50,
    respond: '已联系物业',
    close: '物业已清运楼道杂物',
    rating: { rating: 'good', comment: '处理很及时' },
    body: { category: 'environment', channel: 'api', description: '1号楼楼道堆满杂物，影响通行', place: { communityId: 'xfl', buildingId: 'xfl-b1', unit: '1' }, contact: call('王女士', '13912340004') },
  },
  {
    agoH: 26,
    respond: '已上门了解情况',
    close: '已组织双方调解，约定晚十点后不再装修',
    rating: { rating: 'fair', comment: '问题解决了，但等得有点久' },
    body: { category: 'neighbour', channel: 'phone', description: '楼上装修噪音大，晚上十一点还在施工', place: { communityId: 'xfl', buildingId: 'xfl-b3', unit: '2' }, contact: call('陈先生', '13912340005') },
  },
  {
    agoH: 6,
    respond: '已答复',
    close: '已告知高龄津贴申领材料和办理地点',
    rating: { rating: 'good' },
    body: { category: 'consultation', channel: 'phone', description: '咨询80岁以上老人高龄津贴怎么申请', place: { communityId: 'xfl', buildingId: 'xfl-ctr' }, contact: call('赵阿姨', '13912340006') },
  },
  {
    agoH: 40,
    respond: '已派维修工',
    close: '已更换破损井盖',
    rating: { rating: 'bad', comment: '拖了一天多才来' },
    body: { category: 'safety', channel: 'api', description: '4号楼前井盖破损，有孩子差点踩空', place: { communityId: 'xfl', buildingId: 'xfl-b4' }, contact: call('孙先生', '13912340007') },
  },
  {
    agoH: 8,
    respond: '已联系村电工',
    close: '村委会门口路灯已修复',
    rating: { rating: 'good', comment: '谢谢村里' },
    body: { category: 'repair', channel: 'phone', description: '村委会门口路灯不亮', place: { communityId: 'tyc', buildingId: 'tyc-cwh' }, contact: call('李大姐', '13912340008') },
  },
];

export async function seedRequests(api: ApiClient): Promise<void> {
  const now = Date.now();
  for (const demo of REQUESTS) {
    const receivedAt = new Date(now - demo.agoH * HOUR).toISOString();
    const created = await api.call<RequestCreated>('POST', '/requests', { ...demo.body, receivedAt });
    if (demo.respond) await api.call('POST', `/requests/${created.id}/respond`, { note: demo.respond });
    if (demo.progress) await api.call('POST', `/requests/${created.id}/progress`, { note: demo.progress });
    if (demo.close) await api.call('POST', `/requests/${created.id}/close`, { resolution: demo.close });
    if (demo.rating) await api.call('POST', `/public/requests/${created.reference}/rating`, { code: created.checkCode, ...demo.rating });
  }
}
