import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/authenticate.js';
import { idParam } from '../../http/schemas.js';
import { roiQuery, roiResponse } from './roi.schemas.js';
import type { RoiService } from './roi.service.js';

export const roiRoutes: FastifyPluginAsyncZod<{ roi: RoiService }> = async (app, { roi }) => {
  const tags = ['Insights'];

  app.get(
    '/api/insights/roi/runs/:id',
    {
      schema: {
        tags,
        summary: "A batch run's cost, outcomes (delivered, complaints, deflection) and saving against a baseline",
        params: idParam,
        querystring: roiQuery,
        response: { 200: roiResponse },
      },
    },
    async (request) => roi.run(actorOf(request), request.params.id, request.query.baseline),
  );

  app.get(
    '/api/insights/roi/templates/:id',
    {
      schema: {
        tags,
        summary: "A template's cost, outcomes and saving against a baseline, in total and per version",
        params: idParam,
        querystring: roiQuery,
        response: { 200: roiResponse },
      },
    },
    async (request) => roi.template(actorOf(request), request.params.id, request.query.baseline),
  );
};
