export { PERIODIC_JOBS, registerProcessors, schedulePeriodicJobs } from './processors';
