/** Product version sent in the User-Agent; kept equal to the root package.json version by a unit test. */
export const PRODUCT_VERSION = '0.1.0';
export const DEFAULT_USER_AGENT = `entra-backup/${PRODUCT_VERSION}`;
