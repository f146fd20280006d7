// A pool worker for the pool tests that refuses its task with an error marked as dosewise's workers
// mark theirs (src/pool/protocol.ts workerError), or plainly.
export default function refuse(task) {
  if (task.marked) throw new Error('dosewise-error:' + JSON.stringify({ code: 'E_PARAMETER', message: 'row 4, column V: must be > 0 (got -5.58)', place: { row: 4, column: 'V', value: -5.58 } }));
  throw new Error('plain failure');
}
