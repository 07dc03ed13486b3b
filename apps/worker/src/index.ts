export { registerProcessors, type WorkerDeps } from './processors';
