/** Shared zod shapes for HTTP routes. */
import { z } from 'zod';

/** `{ error: { code, message } }` — the body of every error answer. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Standard error answers to list in a route's schema. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody } as const;

/** 1-based page and page size (≤ 100). */
export const Pagination = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
