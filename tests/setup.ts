import { installPromiseWithResolvers } from '../local/promise-with-resolvers';

/** Runs in every test worker before its test file. */
installPromiseWithResolvers();
