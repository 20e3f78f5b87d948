/** TD-BN-YENPHONG-261215-3: "tiếp dân", the unit's code, the slot's local date (yyMMdd), a per-unit daily number. */
export const bookingCodePrefix = (unitCode: string, slotDate: string): string => `TD-${unitCode}-${slotDate.slice(2, 4)}${slotDate.slice(5, 7)}${slotDate.slice(8, 10)}-`;

export const formatBookingCode = (unitCode: string, slotDate: string, sequence: number): string => `${bookingCodePrefix(unitCode, slotDate)}${sequence}`;
