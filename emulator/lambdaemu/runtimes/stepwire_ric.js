// stepwire's runtime interface client for nodejs Lambda functions: it
// speaks the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API with Node's
// standard library, loads the handler named by $_HANDLER ("file.export")
// from $LAMBDA_TASK_ROOT, and reports errors as Lambda's Node.js runtime
// does (docs/lambda.md section 3.3 of the stepwire repository). The AWS
// SDK for JavaScript is not bundled.
'use strict';
const http = require('http');
const path = require('path');

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const BASE = '/2018-06-01/runtime';

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: BASE + p, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function errorObject(err) {
  if (!(err instanceof Error)) return { errorType: 'string', errorMessage: String(err), trace: [] };
  return { errorType: err.name, errorMessage: err.message, trace: (err.stack || '').split('\n') };
}

async function initError(obj) {
  console.error(JSON.stringify(obj));
  await call('POST', '/init/error', JSON.stringify(obj), { 'Lambda-Runtime-Function-Error-Type': obj.errorType });
  process.exit(1);
}

async function load(handler) {
  const dot = handler.lastIndexOf('.');
  if (dot < 0) return initError({ errorType: 'Runtime.MalformedHandlerName', errorMessage: "Bad handler " + handler, trace: [] });
  const file = handler.slice(0, dot);
  const name = handler.slice(dot + 1);
  let mod;
  try {
    mod = require(path.resolve(process.env.LAMBDA_TASK_ROOT || process.cwd(), file));
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      return initError({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module '" + file + "'", trace: [] });
    }
    return initError(errorObject(e));
  }
  const fn = mod[name];
  if (typeof fn !== 'function') {
    return initError({ errorType: 'Runtime.HandlerNotFound', errorMessage: file + '.' + name + ' is undefined or not exported', trace: [] });
  }
  return fn;
}

function run(fn, event, context) {
  return new Promise((resolve, reject) => {
    const cb = (err, res) => (err ? reject(err) : resolve(res));
    try {
      const r = fn(event, context, cb);
      if (r && typeof r.then === 'function') r.then(resolve, reject);
    } catch (e) {
      reject(e);
    }
  });
}

async function main() {
  const fn = await load(process.env._HANDLER || '');
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
    process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] || '';
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
      callbackWaitsForEmptyEventLoop: true,
    };
    try {
      const event = JSON.parse(next.body.toString() || 'null');
      const result = await run(fn, event, context);
      await call('POST', '/invocation/' + id + '/response', JSON.stringify(result === undefined ? null : result));
    } catch (e) {
      const obj = errorObject(e);
      console.error(id + '\tERROR\t' + obj.errorType + ': ' + obj.errorMessage);
      await call('POST', '/invocation/' + id + '/error', JSON.stringify(obj), { 'Lambda-Runtime-Function-Error-Type': obj.errorType });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
