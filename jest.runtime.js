/**
 * Jest's runtime, with each module compiled once per worker instead of once
 * per test file, and each file's AsyncLocalStorage instances disabled when it
 * ends (the `runtime` of jest.preset.js; CI time, issue 11).
 *
 * Why: jest runs every test file in a fresh module registry, so a worker
 * evaluates mongoose, graphql, Apollo, kafkajs and the service again for each
 * file. jest-runtime compiles each module with `vm.compileFunction`, which V8
 * does not cache (nodejs/node#35375), and a profile of a worker showed 38 % of
 * its time in that compile. A `vm.Script` is compiled once and runs in any
 * context: each file still gets fresh module instances (the script's function
 * is created anew in the file's own context), only the compiled code is
 * shared, as jest did before it moved to `compileFunction`.
 *
 * Jest is unchanged otherwise: a source that does not compile as a script
 * goes to jest's own compile, which reports the error (or detects ESM) the
 * way it always has. `import()` inside a CommonJS module is refused in both
 * (jest runs without --experimental-vm-modules).
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename → the last source compiled for it, and its script. */
const scripts = new Map();

/**
 * The AsyncLocalStorage instances the running test file has enabled, disabled
 * when it ends. Why: before Node 22, every enabled instance stays in one list
 * of the process until `disable()`, and every promise created anywhere visits
 * the whole list. Each test file builds its own (OpenTelemetry's context
 * manager, each server's request scope and metrics), so a worker's list grew
 * file after file: a profile of certification's suite in one worker had 10 %
 * of its time in that propagation. Node 22+ has no such list (no `_enable`).
 */
let enabledByThisFile = new Set();
const enable = AsyncLocalStorage.prototype._enable;
if (typeof enable === 'function')
  AsyncLocalStorage.prototype._enable = function (...args) {
    enabledByThisFile.add(this);
    return enable.apply(this, args);
  };

class CompileOnceRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    // One test file at a time per worker: what it enables is its own.
    this.storages = enabledByThisFile = new Set();
    // jest-runtime 30 keeps the compile step on its module executor.
    const executor = this.executor;
    if (typeof executor?.compile !== 'function')
      throw new Error(
        'jest.runtime.js: jest-runtime no longer has executor.compile; update the runtime or remove it from jest.preset.js',
      );
    const jestCompile = executor.compile.bind(executor);
    const parameters = executor.injectedModuleParameters.join(',');
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null) return null;
      const key = `${parameters}\0${filename}`;
      let cached = scripts.get(key);
      if (cached?.source !== source) {
        let script;
        try {
          // The wrapper has a line of its own, so lines and columns in
          // stack traces (and source maps) are the file's own.
          script = new Script(`(function (${parameters}) {\n${source}\n})`, {
            filename,
            lineOffset: -1,
          });
        } catch {
          return jestCompile(source, filename);
        }
        cached = { source, script };
        scripts.set(key, cached);
      }
      return cached.script.runInContext(context);
    };
  }

  teardown() {
    super.teardown();
    for (const storage of this.storages) storage.disable();
    this.storages.clear();
  }
}

module.exports = CompileOnceRuntime;
