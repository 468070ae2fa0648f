// A made-up council the page's worker runs the engine over before the user's files arrive
// (worker.js, warmUp), so that V8 has compiled and optimised the engine by then. It is the worked
// example of shared/spec/worked-example.md (eight children, tests/fixtures/worked-example),
// copied under new child identifiers and moved by up to five years so that the copies fill
// several collection years, as a council's return does. No real child is in it.

const WORKED_EXAMPLE = {
  'header.csv': `CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C1,1,01/01/2013,WBRI,,,
C2,2,01/06/2012,MWBC,,,
C3,1,01/03/2014,WBRI,,,
C4,2,01/05/2014,BAFR,,,
C5,1,01/09/2010,WBRI,,,
C6,2,01/01/2015,WBRI,,,
C7,1,01/10/2013,APKN,,,
C8,1,01/04/2008,WBRI,,,`,
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
C8,01/05/2015,S,V3,N2,R1,PR1,03/05/2015,E8,,,,`,
  'ad1.csv': `CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR
C1,01/01/2013,01/08/2014,01/02/2015,0,2,MF,L12
C2,01/06/2012,01/04/2014,15/02/2015,1,2,MF,L12
C3,01/03/2014,01/12/2014,01/02/2015,0,1,F1,L0
C4,01/05/2014,01/01/2015,15/03/2015,0,2,MF,L12
C5,01/09/2010,01/05/2013,01/11/2014,0,2,FF,L11`,
  'placed_adoption.csv': `CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED
C1,01/01/2013,01/08/2014,,
C2,01/06/2012,01/04/2014,,
C3,01/03/2014,01/12/2014,,
C4,01/05/2014,01/01/2015,,
C5,01/09/2010,01/05/2013,,
C6,01/01/2015,01/09/2015,,
C7,01/10/2013,01/06/2014,,`,
};

/** Copies of the worked example in one warm-up run (about 550 episodes). */
const COPIES = 25;

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
