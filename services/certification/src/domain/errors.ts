// The domain's failures, each with a stable code, are service-kit's pure error
// classes. The shared ESLint boundary rule intends to allow this subpath (its
// message says so) but its '@conecta/service-kit' pattern also matches
// '/errors'; until that pattern gets a '!@conecta/service-kit/errors' exception,
// this one re-export is the domain's only door to it.
// eslint-disable-next-line no-restricted-imports
export {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';
