'use strict';
// Shared by esm.mjs and cjs.js: the parameter fetch and the HTTP API (payload format 2.0) answer, with the same
// response facts as the Java functions (dev.initbench.functions.ParameterFunction), so the benchmark attributes
// the latency of a Node.js request exactly as it does a Java one.
//
// Region, endpoint (AWS_ENDPOINT_URL) and credentials come from the SDK's standard environment: nothing here knows
// whether it runs in AWS or in the local cloud.

const { performance } = require('node:perf_hooks');
// Taken before the SDK is loaded, so initDurationMs includes loading it, as the Java functions' includes loading
// their SDK classes.
const initStart = performance.now();
const { randomUUID } = require('node:crypto');
const { SSMClient, GetParameterCommand, SSMServiceException } = require('@aws-sdk/client-ssm');

const PARAMETER_NAME_VARIABLE = 'PARAMETER_NAME';
const MAX_HOLD_MS = 10000;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Where the client is built and the parameter fetched, as reported in setupPhase. */
const SetupPhase = Object.freeze({
  /** During init: the init phase waits for the parameter (esm.mjs, top-level await). */
  INIT: 'init',
  /** Started during init, awaited by the first invocation (cjs.js). */
  INIT_STARTED: 'init-started',
});

function parameterName() {
  const name = process.env[PARAMETER_NAME_VARIABLE];
  // Reported like any other unreadable parameter, so the response names the fix.
  return name && name.trim() ? name : `<${PARAMETER_NAME_VARIABLE} is not set>`;
}

/**
 * Builds the SSM client and starts fetching the parameter. Returns at once with {settled, result}: result is a
 * promise of the load that never rejects (a failure is a load with errorType), settled turns true when it resolves.
 */
function startLoad() {
  const name = parameterName();
  const start = performance.now();
  const pending = { settled: false, result: null };
  pending.result = fetchParameter(name, start).then((load) => {
    pending.settled = true;
    return load;
  });
  return pending;
}

async function fetchParameter(name, start) {
  let clientBuildMs = 0;
  try {
    const client = new SSMClient({});
    const built = performance.now();
    clientBuildMs = built - start;
    const output = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return { parameterName: name, value: output.Parameter.Value, clientBuildMs, fetchMs: performance.now() - built };
  } catch (error) {
    const failed = {
      parameterName: name,
      clientBuildMs,
      fetchMs: performance.now() - start - clientBuildMs,
      errorType: error.constructor.name,
      // The service's error code for a service error, none for a network or client failure.
      errorCode: error instanceof SSMServiceException ? error.name : null,
      errorMessage: error.message,
    };
    // One line per failure in the function's log: the cause without a stack trace.
    console.log(`ERROR could not read SSM parameter ${name}: ${failed.errorType}`
      + `${failed.errorCode ? ` (${failed.errorCode})` : ''}: ${error.message}`);
    return failed;
  }
}

// Three decimals are microseconds for the millisecond figures written here, as in the Java functions.
function millis(value) {
  return Math.round(value * 1000) / 1000;
}

function answer(statusCode, body) {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/**
 * The handler of a function whose load was started during init. Call it when init ends: the time from loading
 * this module until then is the function's initDurationMs.
 *
 * @param functionName the name the function reports
 * @param setupPhase a SetupPhase: INIT when init awaited the load, INIT_STARTED when the handler awaits it
 * @param pending what startLoad returned
 */
function handlerFor(functionName, setupPhase, pending) {
  if (!Object.values(SetupPhase).includes(setupPhase)) {
    throw new TypeError(`setupPhase must be one of ${Object.values(SetupPhase).join(', ')}, got ${setupPhase}`);
  }
  const initDurationMs = performance.now() - initStart;
  const environmentId = randomUUID();
  const initializationType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE ?? 'unknown';
  const logStreamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '';
  let invocations = 0;

  return async (event, context) => {
    const invocation = ++invocations;
    const hold = event?.queryStringParameters?.holdMs;
    const holdMs = hold === undefined ? 0 : /^[+-]?\d+$/.test(hold) ? Number(hold) : -1;
    if (holdMs < 0 || holdMs > MAX_HOLD_MS) {
      return answer(400, {
        function: functionName,
        error: `holdMs must be a whole number of milliseconds from 0 to ${MAX_HOLD_MS}, got '${hold}'`,
      });
    }
    const settledBeforeInvocation = pending.settled;
    const awaitStart = performance.now();
    const load = await pending.result;
    const awaitedMs = settledBeforeInvocation ? 0 : performance.now() - awaitStart;

    const body = { function: functionName, parameterName: load.parameterName };
    let statusCode;
    if (load.errorType === undefined) {
      statusCode = 200;
      body.value = load.value;
    } else {
      statusCode = 500;
      body.error = `could not read SSM parameter ${load.parameterName}: ${load.errorMessage}`;
      body.errorType = load.errorType;
      body.errorCode = load.errorCode;
    }
    Object.assign(body, {
      initializationType,
      environmentId,
      logStreamName,
      awsRequestId: context?.awsRequestId ?? null,
      invocation,
      firstInvocation: invocation === 1,
      setupPhase,
      initDurationMs: millis(initDurationMs),
      clientBuildMs: millis(load.clientBuildMs),
      fetchDurationMs: millis(load.fetchMs),
      setupInThisInvocationMs: millis(awaitedMs),
    });
    if (setupPhase === SetupPhase.INIT_STARTED) {
      body.initFetchSettledBeforeInvocation = settledBeforeInvocation;
      body.awaitedInInvocationMs = millis(awaitedMs);
    }
    body.heldMs = holdMs;
    if (holdMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, holdMs));
    }
    return answer(statusCode, body);
  };
}

module.exports = { SetupPhase, startLoad, handlerFor, MAX_HOLD_MS };
