/**
 * The resident's side of requests (接诉即办), without sign-in and rate-limited per address: where a
 * request may be placed, a new request (answered with its reference number and a check code shown once),
 * its status by reference and code, and the rating (好差评) once it is closed. No answer carries anyone's
 * name or an unmasked phone number.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, PublicPlace, PublicRatingBody, PublicRequestCreate, PublicRequestLookup, PublicRequestStatus, RequestReceipt, RequestReference } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import type { RequestRow } from '../requests/store.ts';
import { toPublicStatus } from '../requests/view.ts';
import type { AppDeps } from './context.ts';

const Params = z.object({ reference: RequestReference });
/** A resident files a request now and then; status checks and ratings come more often. */
const INTAKE_LIMIT = { max: 10, timeWindow: '1 minute' };
const READ_LIMIT = { max: 60, timeWindow: '1 minute' };

export function publicRequestRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { service, store } = deps.requests;
  const status = async (row: RequestRow) => toPublicStatus(row, await store.history(row.id));

  return async (app) => {
    app.get(
      '/public/places',
      {
        schema: { tags: ['public'], summary: 'Communities and their buildings, for the resident’s request form', response: { 200: z.array(PublicPlace), 429: ErrorBody }, security: [] },
        config: { public: true, rateLimit: READ_LIMIT },
      },
      () => store.publicPlaces(),
    );

    app.post(
      '/public/requests',
      {
        schema: {
          tags: ['public'],
          summary: 'A resident’s request (24-hour online service): answers the reference number and a check code, shown once',
          body: PublicRequestCreate,
          response: { 201: RequestReceipt, 400: ErrorBody, 429: ErrorBody },
          security: [],
        },
        config: { public: true, rateLimit: INTAKE_LIMIT },
      },
      async (request, reply) => {
        const { request: row, checkCode } = await service.create({ ...request.body, channel: 'web' }, null, 'resident web form');
        return reply.code(201).send({ reference: row.reference, checkCode, status: row.status, receivedAt: row.received_at.toISOString(), deadline: row.deadline.toISOString() });
      },
    );

    app.get(
      '/public/requests/:reference',
      {
        schema: {
          tags: ['public'],
          summary: 'A request’s status and steps, for the resident holding its check code',
          params: Params,
          querystring: PublicRequestLookup,
          response: { 200: PublicRequestStatus, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
          security: [],
        },
        config: { public: true, rateLimit: READ_LIMIT },
      },
      async (request) => {
        const row = await service.forResident(request.params.reference, request.query.code);
        if (!row) throw new ApiError('not_found');
        return status(row);
      },
    );

    app.post(
      '/public/requests/:reference/rating',
      {
        schema: {
          tags: ['public'],
          summary: 'Rate a closed request good, fair or bad (好差评), once, with an optional comment',
          params: Params,
          body: PublicRatingBody,
          response: { 200: PublicRequestStatus, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody },
          security: [],
        },
        config: { public: true, rateLimit: READ_LIMIT },
      },
      async (request) => status(await service.rate(request.params.reference, request.body.code, request.body.rating, request.body.comment)),
    );
  };
}
