'use strict';
// The sample's CommonJS module: starts fetching its SSM parameter during init, which a CommonJS module cannot
// await, and awaits the promise in the handler. Whether the first invocation still waits for it depends on whether
// the fetch could finish before init ended and the environment was frozen. Handler: cjs.handler.
const { SetupPhase, startLoad, handlerFor } = require('./parameter-function.js');

const pending = startLoad();

exports.handler = handlerFor('cjs', SetupPhase.INIT_STARTED, pending);
