// Placeholder so `cdk synth` works offline before the real bundle exists. It fails closed: every request
// gets 503 until you pass -c webhookCodePath=<built bundle directory or .zip>.
exports.handler = async () => ({ statusCode: 503, headers: { 'content-type': 'text/plain' }, body: 'webhook not deployed' });
