/**
 * `instanceof` that holds across copies of core. Each package ships a CommonJS and an ES module build,
 * so a project that both `require()`s and `import`s core (or installs two versions) defines its classes
 * twice; an error thrown by one copy must still be recognised by the other. Instances carry a
 * process-wide symbol (`Symbol.for`), and the class checks for it instead of its prototype chain.
 */
type AnyConstructor<T> = abstract new (...args: never[]) => T;

export function brand(instance: object, mark: symbol): void {
  Object.defineProperty(instance, mark, { value: true, enumerable: false });
}

/**
 * The `Symbol.hasInstance` of a branded class `base`: the brand for `base` itself, the ordinary
 * prototype check for its subclasses (a user's subclass keeps its own identity).
 */
export function isBranded<T>(target: AnyConstructor<T>, base: AnyConstructor<unknown>, mark: symbol, value: unknown): value is T {
  if (target !== base) return Function.prototype[Symbol.hasInstance].call(target, value);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true;
}
