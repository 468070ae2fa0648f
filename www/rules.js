// How each figure is worked out, in a sentence or two: the text of "How this figure was worked
// out" on the page. Kept here, in one place, and in step with docs/methodology.md: `anchor` is
// the id of the section of www/methodology.html (built from that file) that gives the whole rule;
// tests/browser/explain.test.mjs checks every anchor exists there.
//
// RULES holds the ids the engine reports (docs/methodology.md sections 5 and 9-13); ruleFor()
// also covers the families of ids (A1-..., fostering-...) by their prefix.

const ADOPTED = 'Children whose period of care ended in adoption (REC E11 or E12) in the period.';

export const RULES = {
  A1: {
    anchor: 'A1',
    rule: `${ADOPTED} For each: the days from entering care (the start of the period of care) to moving in with the adoptive family (the first episode of the last unbroken run of placements A3-A6 that ends the period). The figure is the mean, rounded to the nearest day, halves up.`,
  },
  A10: {
    anchor: 'A10',
    rule: `As A1, but a child adopted by its foster carers (placement A3 or A5, or AD1 FOSTER_CARE 1) counts from entering care to the day the child moved in with those carers (walking back through episodes starting with reason L, T or U).`,
  },
  A2: {
    anchor: 'A2',
    rule: `${ADOPTED} For each: the days from the court's authority to place (the first episode with legal status E1 or D1) to the match with adopters (AD1 DATE_MATCH); a match before the order counts 0. The mean, rounded halves up.`,
  },
  A3: {
    anchor: 'A3',
    rule: `Of the children adopted in the period and the children still going through the adoption process at its end (a decision to place for adoption, in care, not adopted), the percentage who waited less than the limit from entering care to moving in with their adoptive family (or to the period's end, if not yet placed). To one decimal, halves up.`,
  },
  A4: { anchor: 'adoption-activity', rule: 'Periods of care ending in adoption (REC E11 or E12) in the period; the percentage is of every period of care ending in the period.' },
  A15: { anchor: 'adoption-activity', rule: 'Decisions that the child should be placed for adoption (PlacedAdoption DATE_PLACED) in the period.' },
  A16: { anchor: 'adoption-activity', rule: 'Placement orders: the first episode with legal status E1 in a period of care, starting in the period.' },
  A5: { anchor: 'adoption-activity', rule: 'Decisions to place for adoption that ceased (DATE_PLACED_CEASED) in the period, all and by reason RD1-RD4.' },
  A9: { anchor: 'adoption-activity', rule: 'Children on the last day of the period with a decision to place for adoption made and not ceased, in care, and not in an adoptive placement (A3-A6) that day.' },
  A14: { anchor: 'adoption-activity', rule: 'Of A9, the children who entered care 18 months or more before the last day of the period.' },
  A11: { anchor: 'adopters-from-adopters-csv', rule: 'Families approved on or before the day and neither matched nor withdrawn by then (adopters.csv).' },
  A12: { anchor: 'adopters-from-adopters-csv', rule: 'Of the families matched in the period, the percentage who waited 3 months or more from approval to match (adopters.csv).' },
  A13: { anchor: 'adopters-from-adopters-csv', rule: 'Applications made on or before the day, neither approved nor withdrawn by then (adopters.csv).' },
  lac: { anchor: 'placement-stability-and-where-children-live', rule: 'Children with an episode open on the day (not a short break).' },
  'stability-short-term': { anchor: 'placement-stability-and-where-children-live', rule: 'Of the children looked after on the last day, the percentage with 3 or more placements in the 12 months to that day (NI 062).' },
  'stability-two-year': { anchor: 'placement-stability-and-where-children-live', rule: 'Of the children looked after on the last day who had been in care 2 years or more, the percentage with 3 or more placements in those 2 years.' },
  'stability-long-term': { anchor: 'placement-stability-and-where-children-live', rule: 'Of the children under 16 looked after for 2½ years or more, the percentage with the same carers for 2 years or more, or placed for adoption with that placement and the one before lasting 2 years (NI 063).' },
};

/** Families of ids, by prefix: the first that matches. */
const FAMILIES = [
  ['A1-', { anchor: 'hard-to-place-a1-and-a2-by-characteristic', rule: 'A1 (entering care to moving in with the adoptive family, mean in days) for the adopted children with this characteristic only.' }],
  ['A2-', { anchor: 'hard-to-place-a1-and-a2-by-characteristic', rule: 'A2 (court authority to match, mean in days) for the adopted children with this characteristic only.' }],
  ['A5-', RULES.A5],
  ['adoption-', { anchor: 'adoption-activity', rule: 'Counted from the episodes and AD1 in the period: an adoptive placement (A3-A6) beginning, a match (DATE_MATCH), or an adoptive placement ending other than in adoption (a disruption).' }],
  ['adopted-', { anchor: 'adoption-activity', rule: 'Of the children adopted in the period (A4), those aged 5 or over at adoption, or from a minority ethnic group.' }],
  ['placed-', { anchor: 'placement-stability-and-where-children-live', rule: 'Children looked after on the last day of the period by their placement (PLACE, and PLACE_PROVIDER for foster care), with the share of all children looked after.' }],
  ['fostering-', { anchor: 'fostering-from-carers-csv', rule: 'From carers.csv: households approved on the day (approval on or before it, not deregistered), events in the period, and the children placed with the council’s own carers.' }],
  ['adopters-', { anchor: 'adopters-from-adopters-csv', rule: 'From adopters.csv: families at each stage, in the period or on its last day.' }],
];

/** The rule of an indicator id: { anchor, rule }, or null for an id not described here. */
export function ruleFor(id) {
  if (Object.hasOwn(RULES, id)) return RULES[id];
  const family = FAMILIES.find(([prefix]) => String(id).startsWith(prefix));
  return family ? family[1] : null;
}

/** Every anchor used, for the test that each exists in the methodology page. */
export const ANCHORS = [...new Set([...Object.values(RULES), ...FAMILIES.map(([, r]) => r)].map((r) => r.anchor))];

/** The methodology page, at the section of an indicator's rule. */
export const methodologyHref = (id) => `methodology.html#${ruleFor(id)?.anchor ?? 'the-indicators'}`;
