// Talks to the gateway as any Open Inference Protocol client would: grpc-js with the protocol's .proto loaded at run
// time, requests built by hand as Triton's clients build them. Prints what it saw as one JSON object; InferenceIT
// checks it. Usage: node oip-client.mjs HOST:PORT PATH/TO/grpc_predict_v2.proto
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [address, protoPath] = process.argv.slice(2);
const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const inference = grpc.loadPackageDefinition(definition).inference;
const client = new inference.GRPCInferenceService(address, grpc.credentials.createInsecure());

const call = (method, request) => new Promise((resolve, reject) =>
  client[method](request, { deadline: Date.now() + 60000 }, (error, response) => (error ? reject(error) : resolve(response))));

// Triton's raw encodings: little-endian elements; a BYTES element is its 4-byte little-endian length, then its bytes.
const rawBytes = (...strings) => Buffer.concat(strings.flatMap((s) => {
  const b = Buffer.from(s, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(b.length);
  return [length, b];
}));
const rawInt64 = (v) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const rawUint32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const splitBytes = (buffer) => {
  const out = [];
  for (let at = 0; at < buffer.length;) {
    const length = buffer.readUInt32LE(at);
    out.push(buffer.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const summary = (response) => {
  const outputs = {};
  response.outputs.forEach((o, i) => {
    const raw = response.raw_output_contents[i];
    const entry = { datatype: o.datatype, shape: o.shape.map(Number) };
    if (o.name === 'images') {
      const pngs = splitBytes(raw);
      entry.count = pngs.length;
      entry.allPng = pngs.every((p) => p.subarray(0, 8).equals(PNG));
    } else if (o.name === 'seeds') {
      entry.values = Array.from({ length: raw.length / 8 }, (_, k) => raw.readBigUInt64LE(8 * k).toString());
    } else {
      entry.bytes = raw.length;
    }
    outputs[o.name] = entry;
  });
  const parameters = {};
  for (const [k, v] of Object.entries(response.parameters)) {
    parameters[k] = v[v.parameter_choice];
  }
  return { model: response.model_name, version: response.model_version, id: response.id, outputs, parameters };
};

const result = {};
result.live = (await call('ServerLive', {})).live;
result.ready = (await call('ServerReady', {})).ready;
result.server = await call('ServerMetadata', {});
const metadata = await call('ModelMetadata', { name: 'un0-fmnist-int8' });
result.metadata = { platform: metadata.platform, versions: metadata.versions, inputs: metadata.inputs.map((t) => t.name) };
// Every input in raw_input_contents, as Triton's own clients send them.
result.raw = summary(await call('ModelInfer', {
  model_name: 'un0-fmnist-int8',
  id: 'raw-1',
  inputs: [
    { name: 'class', datatype: 'BYTES', shape: [1] },
    { name: 'seed', datatype: 'INT64', shape: [1] },
    { name: 'count', datatype: 'UINT32', shape: [1] },
  ],
  raw_input_contents: [rawBytes('sneaker'), rawInt64(42), rawUint32(2)],
  outputs: [{ name: 'images' }, { name: 'seeds' }, { name: 'pixels' }],
}));
// Typed contents and a request parameter, the other way the protocol allows.
result.typed = summary(await call('ModelInfer', {
  model_name: 'un0-fmnist',
  id: 'typed-1',
  inputs: [{ name: 'class', datatype: 'INT32', shape: [1], contents: { int_contents: [3] } }],
  parameters: { count: { int64_param: '3' }, seed: { int64_param: '7' } },
}));
try {
  await call('ModelInfer', { model_name: 'un0-fmnist', inputs: [{ name: 'class', datatype: 'FP32', shape: [1], contents: { fp32_contents: [1] } }] });
  result.refused = null;
} catch (e) {
  result.refused = { code: e.code, details: e.details };
}
try {
  await call('ModelMetadata', { name: 'resnet50' });
  result.unknownModel = null;
} catch (e) {
  result.unknownModel = { code: e.code };
}
client.close();
console.log(JSON.stringify(result));
