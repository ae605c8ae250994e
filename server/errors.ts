/**
 * Domain errors: they say what went wrong in the domain's words and know nothing of HTTP.
 * `server/http/problem.ts` maps each to a status.
 */

/** Where in an uploaded file or a request a problem is. Rows are as a person sees them. */
export interface IssueLocation {
  severity: 'error' | 'warning';
  row: number | null;
  column: string | null;
  message: string;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The request or file is malformed or breaks a rule; nothing was changed. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(message: string, readonly issues: IssueLocation[] = []) {
    super(message);
  }
}

/** An uploaded file was read but its content breaks the rules (422); `total` counts every issue. */
export class InvalidFileError extends ValidationError {
  override name = 'InvalidFileError';
  constructor(message: string, issues: IssueLocation[], readonly total: number = issues.length, readonly importId: number | null = null) {
    super(message, issues);
  }
}

/** The upload is larger than this deployment accepts (413). */
export class TooLargeError extends Error {
  override name = 'TooLargeError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** The database cannot be reached; the client may retry. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}
