// Виды приборов учета, checks before write: the digit capacity (Разрядность) is 0..12.
// 0 means "not set". A cumulative meter never rolls over, so it needs none. A cyclic meter with
// capacity N rolls over at 10^N (consumption = current − previous + 10^N when the current
// reading is below the previous); the seed's ГВС type is cyclic with capacity 0, so 0 is
// accepted for a cyclic type too and then means "never rolls over": such a meter is treated
// like a cumulative one, and a reading below the previous is refused (MeterReadings says to
// set the capacity).
import { defineCatalog } from "../types.gen.ts";

export const MAX_DIGIT_CAPACITY = 12;

export default defineCatalog("MeterTypes", {
  beforeWrite(ctx) {
    const n = ctx.object.DigitCapacity;
    if (n == null) return;
    if (!n.isInteger() || n.lt(0) || n.gt(MAX_DIGIT_CAPACITY))
      throw ctx.error(
        `Разрядность — целое число от 0 до ${MAX_DIGIT_CAPACITY} (0 — не задана), указано ${n.toString()}`,
        { field: "DigitCapacity" },
      );
  },
});
