// Child entry of benchRedisScanInChild: runs benchRedisScan against the server named in argv[2]
// (JSON: url, pid, ports, total, repeats) and prints its result as one JSON line.
import { benchRedisScan } from './scan-redis-bench.js';

const { url, pid, ports, total, repeats } = JSON.parse(process.argv[2] ?? '{}') as { url: string; pid: number; ports: number[]; total: number; repeats: number };
const r = await benchRedisScan({ url, pid, ports }, total, repeats);
console.log(JSON.stringify(r));
