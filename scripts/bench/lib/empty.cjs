// Intentionally empty: required first by measure-import.cjs to warm the module loader.
