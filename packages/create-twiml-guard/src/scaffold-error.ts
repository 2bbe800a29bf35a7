/** A template or target the scaffolder cannot use; its message is meant for the user as is. */
export class ScaffoldError extends Error {}
