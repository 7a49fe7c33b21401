/** TensorBoard event files: plain runs (`tensorboard`) and Lightning's TensorBoardLogger (`lightning-tensorboard`). */
export { lightningTensorboard, tensorboard } from './adapter.js';
export { scanTfRecords, maskedCrc32c, type TfRecordScan } from './tfrecord.js';
export { PARTIAL_RECORD_GRACE_MS, type EventFileState } from './read-file.js';
