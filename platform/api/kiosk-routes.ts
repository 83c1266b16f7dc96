/**
 * Self-service kiosks: service hours and maintainer, availability within service hours ("which kiosks
 * were not available for their full hours yesterday?"), the maintainer's work orders, services with
 * ratings, and coverage of urban communities. Scope is the kiosk device's, plus a maintainer's own kiosks.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorBody,
  Id,
  Kiosk,
  KioskAvailabilityAnswer,
  KioskAvailabilityQuery,
  KioskCoverage,
  KioskHistoryImport,
  KioskHistoryImported,
  KioskListQuery,
  KioskPatch,
  KioskServiceQuery,
  KioskServiceRecord,
  KioskServiceStatsAnswer,
  KioskServiceStatsQuery,
  KioskWorkOrder,
  KioskWorkOrderClose,
  KioskWorkOrderQuery,
  KioskWorkOrderWithHistory,
} from '../../contract/index.ts';
import { type AppDeps, requestSource, requireRole } from './context.ts';

const Params = z.object({ id: Id });
const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['kiosks'];

export function kioskRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { kiosks } = deps;
  return async (app) => {
    app.get(
      '/kiosks',
      { schema: { tags, summary: 'Kiosks in your scope: service hours, maintainer, available now (and why not), open work orders', querystring: KioskListQuery, response: { 200: z.array(Kiosk) } } },
      (request) => kiosks.list(request.principal, request.query),
    );

    app.get(
      '/kiosks/availability',
      {
        schema: {
          tags,
          summary: 'Availability within service hours per kiosk and community: service and available minutes, ratio, outages with reasons',
          description:
            'Counts only service hours (local time, Asia/Shanghai): an outage at night costs nothing, and overlapping reasons (offline, fault, no_paper) count once. ' +
            'A kiosk is unavailable while offline, while a fault work order is open, or with paper below 5 %. Default period: yesterday. ' +
            '`notFullyAvailable=true` lists only the kiosks that were unavailable for part of their hours; communities and total always cover every kiosk in scope.',
          querystring: KioskAvailabilityQuery,
          response: { 200: KioskAvailabilityAnswer, 400: ErrorBody },
        },
      },
      (request) => kiosks.availability(request.principal, request.query),
    );

    app.get(
      '/kiosks/coverage',
      {
        schema: { tags, summary: 'Plan indicator 6: the share of urban communities with a kiosk, and with one in service now (target 100 %)', response: { 200: KioskCoverage, 403: ErrorBody } },
      },
      (request) => kiosks.coverage(request.principal),
    );

    app.get(
      '/kiosks/services',
      { schema: { tags, summary: 'Services completed at kiosks (newest first); default period yesterday', querystring: KioskServiceQuery, response: { 200: z.array(KioskServiceRecord), 400: ErrorBody } } },
      (request) => kiosks.services(request.principal, request.query),
    );

    app.get(
      '/kiosks/services/stats',
      {
        schema: {
          tags,
          summary: 'Services per kiosk, community, local day or service: count, average duration, average rating and the 1–5 distribution',
          querystring: KioskServiceStatsQuery,
          response: { 200: KioskServiceStatsAnswer, 400: ErrorBody },
        },
      },
      (request) => kiosks.serviceStats(request.principal, request.query),
    );

    app.get('/kiosks/:id', { schema: { tags, summary: 'One kiosk', params: Params, response: { 200: Kiosk, 404: ErrorBody } } }, (request) => kiosks.get(request.principal, request.params.id));

    app.patch(
      '/kiosks/:id',
      {
        schema: {
          tags,
          summary: 'Set service hours (at least 8 h on every day it opens) and the maintainer; open work orders follow a new maintainer',
          params: Params,
          body: KioskPatch,
          response: { 200: Kiosk, ...errors },
        },
        preHandler: requireRole('admin', 'operator'),
      },
      (request) => kiosks.patch(request.principal, request.params.id, request.body, requestSource(request)),
    );

    app.post(
      '/kiosks/:id/availability/history',
      {
        schema: {
          tags,
          summary: 'Import availability history from before the platform watched the kiosk (admin), e.g. from the system it replaces',
          description: 'Each change is kept with who imported it. Changes must lie in the past and before the first change the platform recorded for the kiosk: history is added, never rewritten.',
          params: Params,
          body: KioskHistoryImport,
          response: { 201: KioskHistoryImported, ...errors },
        },
        preHandler: requireRole('admin'),
      },
      async (request, reply) => reply.code(201).send(await kiosks.importHistory(request.principal, request.params.id, request.body)),
    );

    app.get(
      '/work-orders',
      {
        schema: { tags, summary: "Kiosk work orders in your scope, newest first; `maintainer=me` for yours", querystring: KioskWorkOrderQuery, response: { 200: z.array(KioskWorkOrder), 400: ErrorBody } },
      },
      (request) => kiosks.workOrders(request.principal, request.query),
    );

    app.get(
      '/work-orders/:id',
      { schema: { tags, summary: 'One work order with every step: who and when', params: Params, response: { 200: KioskWorkOrderWithHistory, 404: ErrorBody } } },
      (request) => kiosks.workOrder(request.principal, request.params.id),
    );

    app.post(
      '/work-orders/:id/close',
      {
        schema: { tags, summary: 'Close a work order with a note on what was done', params: Params, body: KioskWorkOrderClose, response: { 200: KioskWorkOrderWithHistory, ...errors } },
        preHandler: requireRole('admin', 'operator', 'worker'),
      },
      (request) => kiosks.closeWorkOrder(request.principal, request.params.id, request.body.note, requestSource(request)),
    );
  };
}
