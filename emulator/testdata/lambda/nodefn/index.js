exports.handler = async (event, context) => {
  console.log('probe', JSON.stringify(event));
  if (event.op === 'error') {
    throw new TypeError('bad input');
  }
  return { echo: event, requestId: context.awsRequestId, fn: process.env.AWS_LAMBDA_FUNCTION_NAME };
};
