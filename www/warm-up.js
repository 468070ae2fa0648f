// A made-up council the page's worker runs the engine over before the user's files arrive
// (worker.js, warmUp), so that V8 has compiled and optimised the engine by then. It is the worked
// example of shared/spec/worked-example.md (eight children, tests/fixtures/worked-example),
// copied under new child identifiers and moved by up to five years so that the copies fill
// several collection years, as a council's return does. No real child is in it.
//
// Four more children (C9-C12, never adopted, so the worked example's figures stand) carry the
// mistakes real returns have, so that the engine's diagnostics and checks are optimised too: an
// adoptive placement under the wrong legal status, with no decision, and an AD1 row though not
// adopted (C9); a placement order with no decision (C10) and one made before the decision (C11);
// an impossible date (C12). Without them, V8 compiled those parts of the engine only during the
// user's first report, and ran that report in its baseline code.

const WORKED_EXAMPLE = {
  'header.csv': `CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C1,1,01/01/2013,WBRI,,,
C2,2,01/06/2012,MWBC,,,
C3,1,01/03/2014,WBRI,,,
C4,2,01/05/2014,BAFR,,,
C5,1,01/09/2010,WBRI,,,
C6,2,01/01/2015,WBRI,,,
C7,1,01/10/2013,APKN,,,
C8,1,01/04/2008,WBRI,,,
C9,2,01/02/2012,WBRI,,,
C10,1,01/07/2011,WIRI,,,
C11,2,01/03/2013,BCRB,,,
C12,1,01/01/2012,WBRI,,,`,
  'episodes.csv': `CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
C1,01/04/2014,S,C1,N1,U6,PR1,01/10/2014,X1,,,,
C1,01/10/2014,L,E1,N1,U6,PR1,15/02/2015,X1,,,,
C1,15/02/2015,P,E1,N1,A6,PR1,01/06/2015,E11,CARPL,,,
C2,01/01/2014,S,C1,N1,U4,PR1,01/06/2014,X1,,,,
C2,01/06/2014,L,E1,N1,U4,PR1,01/03/2015,X1,,,,
C2,01/03/2015,T,E1,N1,A5,PR1,01/09/2015,E12,,,,
C3,01/05/2014,S,V2,N4,U6,PR4,01/03/2015,X1,,,,
C3,01/03/2015,L,E1,N4,U6,PR4,20/03/2015,X1,,,,
C3,20/03/2015,P,E1,N4,A6,PR1,10/10/2015,E11,CARPL,,,
C4,01/06/2014,S,V2,N5,U6,PR1,01/04/2015,X1,,,,
C4,01/04/2015,P,V2,N5,A4,PR1,01/12/2015,E11,CARPL,,,
C5,01/01/2013,S,C2,N1,U6,PR4,01/06/2013,X1,,,,
C5,01/06/2013,L,E1,N1,U6,PR4,01/01/2014,X1,,,,
C5,01/01/2014,P,E1,N1,A6,PR1,01/04/2014,X1,CARPL,,,
C5,01/04/2014,P,E1,N1,U6,PR4,01/12/2014,X1,CREQB,,,
C5,01/12/2014,P,E1,N1,A6,PR1,01/05/2015,E12,CARPL,,,
C6,01/03/2015,S,C1,N1,U6,PR1,01/11/2015,X1,,,,
C6,01/11/2015,L,E1,N1,U6,PR1,,,,,,
C7,01/01/2014,S,C1,N1,U6,PR1,01/09/2014,X1,,,,
C7,01/09/2014,L,E1,N1,U6,PR1,,,,,,
C8,01/05/2015,S,V3,N2,R1,PR1,03/05/2015,E8,,,,
C9,01/03/2014,S,C2,N1,U6,PR1,01/09/2014,X1,,,,
C9,01/09/2014,P,D1,N1,A6,PR1,,,CARPL,,,
C10,01/02/2014,S,C2,N1,U6,PR1,01/06/2014,X1,,,,
C10,01/06/2014,L,E1,N1,U6,PR1,,,,,,
C11,01/01/2014,S,C2,N1,U4,PR1,01/05/2014,X1,,,,
C11,01/05/2014,L,E1,N1,U4,PR1,,,,,,
C12,01/04/2014,S,C2,N9,U6,PR1,31/02/2015,X1,,,,`,
  'ad1.csv': `CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR
C1,01/01/2013,01/08/2014,01/02/2015,0,2,MF,L12
C2,01/06/2012,01/04/2014,15/02/2015,1,2,MF,L12
C3,01/03/2014,01/12/2014,01/02/2015,0,1,F1,L0
C4,01/05/2014,01/01/2015,15/03/2015,0,2,MF,L12
C5,01/09/2010,01/05/2013,01/11/2014,0,2,FF,L11
C9,01/02/2012,01/08/2014,,0,,,`,
  'placed_adoption.csv': `CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED
C1,01/01/2013,01/08/2014,,
C2,01/06/2012,01/04/2014,,
C3,01/03/2014,01/12/2014,,
C4,01/05/2014,01/01/2015,,
C5,01/09/2010,01/05/2013,,
C6,01/01/2015,01/09/2015,,
C7,01/10/2013,01/06/2014,,
C11,01/03/2013,01/09/2014,,`,
};

/**
 * Copies of the worked example in one warm-up run (about 5,400 episodes). Runs this large, rather
 * than many small ones, are what bring the engine's sorts and per-child loops to V8's optimising
 * compiler: in Node 20, a 1M report after 8 runs of 200 copies took 1.8 s, after 16 of 25 (the
 * first version) 2.7-3.2 s, and as a worker's second report 1.6-1.9 s (under load).
 */
const COPIES = 200;

/** Runs of the engine over the made-up council; their sum is what V8 needs to optimise the engine. */
export const WARM_UP_RUNS = 8;

/** The page's options for a warm-up run: its own call, with the diagnostics cut as the page cuts them. */
export const WARM_UP_OPTIONS = { rows: 'none', diagnostics: { first: 100, per_group: 20 }, days: true };

/** The tables of warm-up run `run`, as the engine takes them: { name, data: Uint8Array }. */
export function warmUpFiles(run) {
  const encoder = new TextEncoder();
  return Object.entries(WORKED_EXAMPLE).map(([name, table]) => {
    const [header, ...rows] = table.split('\n');
    const lines = [header];
    for (let copy = 0; copy < COPIES; copy++) {
      const years = (run + copy) % 6;
      for (const row of rows) {
        lines.push(
          row
            .replace(/^[^,]*/, (child) => `${child}-${run}-${copy}`)
            .replace(/(\d\d\/\d\d\/)(\d{4})/g, (_, dayMonth, year) => dayMonth + (Number(year) + years)),
        );
      }
    }
    return { name, data: encoder.encode(`${lines.join('\n')}\n`) };
  });
}
