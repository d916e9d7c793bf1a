/** Name of the Agenda job that stands for one slot of a schedule (planned by the scheduler, counted by its view). */
export const SLOT_JOB = 'sync.slot';
