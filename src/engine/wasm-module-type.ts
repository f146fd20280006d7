// The one WebAssembly type the public declarations name (WebAssembly.Module, in wasmModule() and
// Engine.fromModule()). A Node-only TypeScript project (lib without DOM, @types/node) has no
// WebAssembly namespace, and type-checking the package failed there ("Cannot find namespace
// 'WebAssembly'"); an empty interface merges with the DOM library's where there is one.

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace WebAssembly {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Module {}
  }
}

export {};
