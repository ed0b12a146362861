// The sample's ES module: fetches its SSM parameter with top-level await, so the init phase (which provisioned
// concurrency runs ahead of traffic) waits for it and no invocation does. Handler: esm.handler.
import parameterFunction from './parameter-function.js';

const { SetupPhase, startLoad, handlerFor } = parameterFunction;

const pending = startLoad();
await pending.result;

export const handler = handlerFor('esm', SetupPhase.INIT, pending);
