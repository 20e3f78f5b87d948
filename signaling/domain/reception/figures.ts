/**
 * A visit of this many people or more is a group visit (đoàn đông người): a group with the same content
 * chooses representatives (legal-rules notes, petition classification; TT 05/2021/TT-TTCP). Reports count
 * them separately.
 */
export const GROUP_VISIT_MIN_PEOPLE = 5;

export const isGroupVisit = (peopleCount: number): boolean => peopleCount >= GROUP_VISIT_MIN_PEOPLE;
