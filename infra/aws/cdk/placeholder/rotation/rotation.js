// Placeholder so `cdk synth` works offline. Throwing makes Secrets Manager mark the rotation failed
// (the secret keeps AWSCURRENT) until you pass -c rotationCodePath=<built rotation bundle>.
exports.handler = async () => {
  throw new Error('rotation function not deployed');
};
