/** The run queue's name: the API process and its workers must agree on it. */
export const RUN_QUEUE = 'am-runs';
