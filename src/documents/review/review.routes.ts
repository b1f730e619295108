import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/authenticate.js';
import { idParam } from '../../http/schemas.js';
import { versionParams } from '../documents.schemas.js';
import {
  approveBody,
  documentReviewResponse,
  myReviewsResponse,
  rejectBody,
  reviewersResponse,
  submitReviewBody,
} from './review.schemas.js';
import type { DocumentReviewsService } from './review.service.js';

export const documentReviewRoutes: FastifyPluginAsyncZod<{ reviews: DocumentReviewsService }> = async (
  app,
  { reviews },
) => {
  const tags = ['Document review'];
  const answer = { response: { 200: documentReviewResponse } };

  app.get(
    '/api/documents/:id/review',
    {
      schema: {
        tags,
        summary: "A document's versions with their review status and the caller's possible actions, and the history",
        params: idParam,
        ...answer,
      },
    },
    async (request) => reviews.review(actorOf(request), request.params.id),
  );

  app.post(
    '/api/documents/:id/versions/:label/review',
    {
      schema: {
        tags,
        summary: 'Submit the current version for review to named reviewers (all approve) or a role (one approves)',
        params: versionParams,
        body: submitReviewBody,
        ...answer,
      },
    },
    async (request) => reviews.submit(actorOf(request), request.params.id, request.params.label, request.body),
  );

  app.post(
    '/api/documents/:id/versions/:label/review/approve',
    {
      schema: {
        tags,
        summary: 'Approve a version in review (a reviewer asked, who neither wrote nor submitted it)',
        params: versionParams,
        body: approveBody,
        ...answer,
      },
    },
    async (request) => reviews.approve(actorOf(request), request.params.id, request.params.label, request.body.comment),
  );

  app.post(
    '/api/documents/:id/versions/:label/review/reject',
    {
      schema: {
        tags,
        summary: 'Reject a version in review with what must change; it goes back to its author',
        params: versionParams,
        body: rejectBody,
        ...answer,
      },
    },
    async (request) => reviews.reject(actorOf(request), request.params.id, request.params.label, request.body.comment),
  );

  app.post(
    '/api/documents/:id/versions/:label/publish',
    {
      schema: {
        tags,
        summary: "Publish an approved version as the document's published version",
        params: versionParams,
        ...answer,
      },
    },
    async (request) => reviews.publish(actorOf(request), request.params.id, request.params.label),
  );

  app.get(
    '/api/document-reviews/reviewers',
    {
      schema: {
        tags,
        summary: 'Who may be asked to review a document (active users whose role may review), by name',
        response: { 200: reviewersResponse },
      },
    },
    async (request) => ({ reviewers: await reviews.reviewers(actorOf(request)) }),
  );

  app.get(
    '/api/document-reviews/mine',
    {
      schema: {
        tags,
        summary: "Reviews waiting for the caller's decision, oldest first",
        response: { 200: myReviewsResponse },
      },
    },
    async (request) => reviews.mine(actorOf(request)),
  );
};
