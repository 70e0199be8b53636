// The instruction-count probe's split of a callgrind dump into the garbage collector's instructions and the rest
// (bench/harness/callgrind-annotate.ts), on rows of a real `callgrind_annotate` run of the scenario 4 Keyturn server.
import { gcInstructions } from '../../bench/harness/callgrind-annotate';

const annotate = [
  '--------------------------------------------------------------------------------',
  'Ir                     ',
  '--------------------------------------------------------------------------------',
  '3,108,854,255 (100.0%)  PROGRAM TOTALS',
  '',
  '--------------------------------------------------------------------------------',
  'Ir                    file:function',
  '--------------------------------------------------------------------------------',
  ' 57,139,182 ( 1.84%)  ???:void v8::internal::BodyDescriptorBase::IterateMaybeWeakPointers<v8::internal::IterateAndScavengePromotedObjectsVisitor>(v8::internal::HeapObject, int, int, v8::internal::IterateAndScavengePromotedObjectsVisitor*) [/usr/bin/node]',
  ' 53,480,800 ( 1.72%)  ???:v8::internal::Scavenger::Process(v8::JobDelegate*) [/usr/bin/node]',
  ' 19,999,940 ( 0.64%)  ???:llhttp__internal_execute [/usr/bin/node]',
  ' 15,033,063 ( 0.48%)  ???:v8::internal::ConcurrentMarking::RunMajor(v8::JobDelegate*, v8::base::EnumSet<v8::internal::CodeFlushMode, int>, unsigned int, bool) [/usr/bin/node]',
  ' 14,172,501 ( 0.46%)  ???:Builtins_LoadIC [/usr/bin/node]',
  ' 13,177,522 ( 0.42%)  ???:v8::internal::Sweeper::RawSweep(v8::internal::Page*, v8::internal::FreeSpaceTreatmentMode, v8::internal::Sweeper::SweepingMode) [/usr/bin/node]',
].join('\n');

describe('callgrind_annotate output', () => {
  it("sums the self cost of V8's collector functions: scavenger, marking, sweeper", () => {
    expect(gcInstructions(annotate)).toBe(57_139_182 + 53_480_800 + 15_033_063 + 13_177_522);
  });

  it('counts neither the program total nor the HTTP parser, inline caches or JIT code', () => {
    const rest = [
      '3,108,854,255 (100.0%)  PROGRAM TOTALS',
      ' 19,999,940 ( 0.64%)  ???:llhttp__internal_execute [/usr/bin/node]',
      ' 14,172,501 ( 0.46%)  ???:Builtins_LoadIC [/usr/bin/node]',
      ' 26,935,000 ( 0.85%)  ???:0x000000000d0e44c0 [???]',
    ].join('\n');
    expect(gcInstructions(rest)).toBe(0);
    expect(gcInstructions('')).toBe(0);
  });
});
