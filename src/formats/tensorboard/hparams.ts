import protobuf from 'protobufjs';

/**
 * The hparams plugin's `HParamsPluginData` (tensorboard/plugins/hparams/plugin_data.proto) and the
 * `google.protobuf.Value` it maps names to, as protobufjs JSON: read once per run, so the generic
 * decoder is fine here. `Experiment` (field 2) only repeats names and types, so it is left unknown.
 */
const descriptor = {
  nested: {
    hparams: {
      nested: {
        HParamsPluginData: {
          oneofs: { data: { oneof: ['sessionStartInfo', 'sessionEndInfo'] } },
          fields: {
            version: { type: 'int32', id: 1 },
            sessionStartInfo: { type: 'SessionStartInfo', id: 3 },
            sessionEndInfo: { type: 'SessionEndInfo', id: 4 },
          },
        },
        SessionStartInfo: {
          fields: {
            hparams: { keyType: 'string', type: 'Value', id: 1 },
            modelUri: { type: 'string', id: 2 },
            monitorUrl: { type: 'string', id: 3 },
            groupName: { type: 'string', id: 4 },
            startTimeSecs: { type: 'double', id: 5 },
          },
        },
        SessionEndInfo: {
          fields: { status: { type: 'int32', id: 1 }, endTimeSecs: { type: 'double', id: 2 } },
        },
        Value: {
          oneofs: { kind: { oneof: ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'] } },
          fields: {
            nullValue: { type: 'int32', id: 1 },
            numberValue: { type: 'double', id: 2 },
            stringValue: { type: 'string', id: 3 },
            boolValue: { type: 'bool', id: 4 },
            structValue: { type: 'Struct', id: 5 },
            listValue: { type: 'ListValue', id: 6 },
          },
        },
        Struct: { fields: { fields: { keyType: 'string', type: 'Value', id: 1 } } },
        ListValue: { fields: { values: { rule: 'repeated', type: 'Value', id: 1 } } },
      },
    },
  },
};
// Passed as a variable: map fields' `keyType` is valid protobufjs JSON but missing from its IField type.
const PluginData = protobuf.Root.fromJSON(descriptor).lookupType('hparams.HParamsPluginData');

interface ValueMsg {
  kind?: string;
  nullValue?: number;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, ValueMsg> };
  listValue?: { values?: ValueMsg[] };
}

function plain(v: ValueMsg): unknown {
  switch (v.kind) {
    case 'numberValue': return v.numberValue;
    case 'stringValue': return v.stringValue;
    case 'boolValue': return v.boolValue;
    case 'structValue':
      return Object.fromEntries(Object.entries(v.structValue?.fields ?? {}).map(([k, x]) => [k, plain(x)]));
    case 'listValue': return (v.listValue?.values ?? []).map(plain);
    default: return null;
  }
}

/** A param's text: numbers as JavaScript prints them (0.001, 32), strings as they are, others as JSON. */
function paramText(v: ValueMsg): string {
  const p = plain(v);
  if (typeof p === 'string') return p;
  if (typeof p === 'number' || typeof p === 'boolean') return String(p);
  return JSON.stringify(p);
}

/**
 * The hyperparameters in one hparams-plugin summary's content: a session's start info maps names
 * to values; the experiment and end-info summaries carry none. Throws on bytes that do not decode.
 */
export function hparamsFromPluginData(content: Uint8Array): [string, string][] {
  const msg = PluginData.toObject(PluginData.decode(content), { oneofs: true }) as {
    sessionStartInfo?: { hparams?: Record<string, ValueMsg> };
  };
  return Object.entries(msg.sessionStartInfo?.hparams ?? {}).map(([k, v]) => [k, paramText(v)]);
}
