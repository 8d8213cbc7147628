// Worker entry of auditTree: scans the files it is sent and posts the findings back.
import { parentPort } from 'node:worker_threads';
import { scanFiles, type ScanFilesRequest } from './scan-files.js';

parentPort?.on('message', (req: ScanFilesRequest) => {
  void scanFiles(req).then((res) => parentPort?.postMessage(res));
});
