// Reads `callgrind_annotate` output for bench/probes/instruction-count.ts.

// V8's garbage collector by the names of its classes (scavenger, mark-compact, concurrent and incremental
// marking, sweeper, evacuation, remembered sets, cppgc). Rounds of one server differ mostly in how many
// collections fall inside them (three 5 000-request rounds of the scenario 4 Keyturn server: 649 / 622 / 644 k
// instructions per request, of which 61 / 43 / 61 k in these functions; 588 / 578 / 583 k without them), so the
// count without them compares the work of two servers with far less spread. Self cost only: helpers the
// collector calls (memmove, malloc) stay in the rest.
const GC_FUNCTION = /Scaveng|MarkCompact|Marking|Sweep|Evacuat|RememberedSet|SlotSet|PointersUpdat|GCTracer|heap::base::|cppgc::/;

// A function row: `  417,091,894 (13.11%)  file:function [object]`.
const FUNCTION_ROW = /^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$/;

/**
 * Instructions (self cost) that `callgrind_annotate --threshold=100` output attributes to V8's garbage
 * collector. The `PROGRAM TOTALS` row matches no collector name, so it is never counted.
 */
export function gcInstructions(annotateOutput: string): number {
  let gc = 0;
  for (const line of annotateOutput.split('\n')) {
    const row = FUNCTION_ROW.exec(line);
    if (row !== null && GC_FUNCTION.test(row[2] as string)) gc += Number((row[1] as string).replaceAll(',', ''));
  }
  return gc;
}
