"""Writes tests/fixtures/edge-cases/{d1,d2}: one child per edge case of indicators.md sections 1-2,
for tests/independent/compare.sh (engine vs the independent implementation). Run from anywhere."""
import os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "edge-cases")
E = []   # d1 episodes
E2 = []  # d2 episodes
AD = []
PA = []; PA2 = []
def ep(c, decom, rne, ls, place, dec, rec, to=None):
    (to if to is not None else E).append([c, decom, rne, ls, "N1", place, "PR1" if place[0] not in "T" else "", dec, rec, "", "", "", ""])
def ad1(c, match, fc="0"):
    AD.append([c, "01/01/2010", "01/01/2014", match, fc, "2", "MF", "L12"])
def pa(c, placed, ceased="", to=None):
    (to if to is not None else PA).append([c, "01/01/2010", placed, ceased, "RD1" if ceased else ""])
CL = "01/01/2017"  # close waiting children in 2016-17
# P01 FOSTER_CARE=1, run starts A6 by RNE T
ep("P01","01/01/2014","S","C1","U4","01/06/2014","X1"); ep("P01","01/06/2014","L","E1","U4","01/09/2014","X1"); ep("P01","01/09/2014","T","E1","A6","01/07/2015","E11"); ad1("P01","01/08/2014","1")
# P02 two AD1 rows, one match after adoption
ep("P02","01/02/2014","S","C1","U6","01/08/2014","X1"); ep("P02","01/08/2014","L","E1","U6","01/12/2014","X1"); ep("P02","01/12/2014","P","E1","A6","10/06/2015","E11"); ad1("P02","01/11/2014"); ad1("P02","01/07/2015")
# P03 RNE S on the day the previous X1 episode ended
ep("P03","01/01/2013","S","C1","U6","01/06/2014","X1"); ep("P03","01/06/2014","S","C2","U6","01/09/2014","X1"); ep("P03","01/09/2014","L","E1","A6","01/08/2015","E12"); ad1("P03","01/09/2014")
# P04 contiguous but previous REC E8
ep("P04","01/01/2013","S","C1","U6","01/06/2014","E8"); ep("P04","01/06/2014","L","E1","U6","01/10/2014","X1"); ep("P04","01/10/2014","P","E1","A4","01/09/2015","E11"); ad1("P04","01/09/2014")
# P05 exactly 426 days; P06 425
ep("P05","01/01/2014","S","E1","U6","03/03/2015","X1"); ep("P05","03/03/2015","P","E1","A6","01/10/2015","E11"); ad1("P05","01/02/2015")
ep("P06","01/01/2014","S","E1","U6","02/03/2015","X1"); ep("P06","02/03/2015","P","E1","A6","01/10/2015","E11"); ad1("P06","01/02/2015")
# P07 adopted 31/03/2016, P08 adopted 01/04/2015, P09 adopted 31/03/2015
ep("P07","01/06/2015","S","E1","U6","01/09/2015","X1"); ep("P07","01/09/2015","P","E1","A6","31/03/2016","E11"); ad1("P07","01/08/2015")
ep("P08","01/06/2014","S","E1","U6","01/12/2014","X1"); ep("P08","01/12/2014","P","E1","A6","01/04/2015","E11"); ad1("P08","01/11/2014")
ep("P09","01/06/2014","S","E1","U6","01/12/2014","X1"); ep("P09","01/12/2014","P","E1","A6","31/03/2015","E11"); ad1("P09","01/11/2014")
# P10 V3 episode in the middle of a chain
ep("P10","01/01/2014","S","C2","U6","01/03/2014","X1"); ep("P10","01/03/2014","L","V3","U6","01/05/2014","X1"); ep("P10","01/05/2014","L","E1","U6","01/09/2014","X1"); ep("P10","01/09/2014","P","E1","A6","01/06/2015","E11"); ad1("P10","01/08/2014")
# P11 decision ceased on the window end; P12 ceased the day after
ep("P11","01/01/2015","S","E1","U6",CL,"E8"); pa("P11","01/06/2015","31/03/2016")
ep("P12","01/01/2015","S","E1","U6",CL,"E8"); pa("P12","01/06/2015","01/04/2016")
# P13 decision on the window end
ep("P13","01/10/2015","S","E1","U6",CL,"E8"); pa("P13","31/03/2016")
# P14 same decision in both dirs, later one ceased; P15 earlier one ceased, later blank
ep("P14","01/01/2015","S","E1","U6",CL,"E8"); pa("P14","01/06/2015"); pa("P14","01/06/2015","01/01/2016",to=PA2)
ep("P15","01/01/2015","S","E1","U6",CL,"E8"); pa("P15","01/06/2015","01/01/2016"); pa("P15","01/06/2015",to=PA2)
# P16 episode open in d1, closed by adoption in d2
ep("P16","01/01/2014","S","E1","U6","01/10/2014","X1"); ep("P16","01/10/2014","P","E1","A6","","")
ep("P16","01/01/2014","S","E1","U6","01/10/2014","X1",to=E2); ep("P16","01/10/2014","P","E1","A6","01/05/2015","E11",to=E2); ad1("P16","01/09/2014")
# P17 waiting, placed then disrupted before the window end
ep("P17","01/01/2015","S","E1","U6","01/06/2015","X1"); ep("P17","01/06/2015","P","E1","A6","01/09/2015","X1"); ep("P17","01/09/2015","P","E1","U6",CL,"E8"); pa("P17","01/03/2015")
# P18 D1 then E1
ep("P18","01/01/2014","S","C2","U6","01/03/2014","X1"); ep("P18","01/03/2014","L","D1","U6","01/06/2014","X1"); ep("P18","01/06/2014","L","E1","U6","01/09/2014","X1"); ep("P18","01/09/2014","P","E1","A6","01/07/2015","E11"); ad1("P18","01/08/2014")
# P19 adopted in the window, back in care with an active decision at the window end
ep("P19","01/01/2014","S","E1","U6","01/10/2014","X1"); ep("P19","01/10/2014","P","E1","A6","01/05/2015","E11"); ep("P19","01/09/2015","S","C1","U6",CL,"E8"); ad1("P19","01/09/2014"); pa("P19","01/12/2015")
# P20 blank DATE_MATCH
ep("P20","01/01/2015","S","E1","U6","01/06/2015","X1"); ep("P20","01/06/2015","P","E1","A6","01/12/2015","E11"); ad1("P20","")
# P21 other date forms
ep("P21","1/2/2014","S","E1","U6","2014-08-01","X1"); ep("P21","2014-08-01","P","E1","A6","1/9/2015","E11"); ad1("P21","2014-07-01")
# P22 run A4 then A6
ep("P22","01/01/2014","S","E1","U6","01/06/2014","X1"); ep("P22","01/06/2014","P","E1","A4","01/09/2014","X1"); ep("P22","01/09/2014","T","E1","A6","01/06/2015","E11"); ad1("P22","01/05/2014")
# P23 A10 walk-back stops at RNE P
ep("P23","01/01/2014","S","C1","U6","01/03/2014","X1"); ep("P23","01/03/2014","P","C1","U4","01/06/2014","X1"); ep("P23","01/06/2014","L","E1","U4","01/10/2014","X1"); ep("P23","01/10/2014","T","E1","A5","01/08/2015","E11"); ad1("P23","01/09/2014")
# P24 two AD1 rows disagreeing on FOSTER_CARE (latest match on/before adoption says 0)
ep("P24","01/01/2014","S","C1","U4","01/06/2014","X1"); ep("P24","01/06/2014","L","E1","U4","01/09/2014","X1"); ep("P24","01/09/2014","T","E1","A6","01/07/2015","E11"); ad1("P24","01/07/2014","1"); ad1("P24","01/08/2014","0")
# P25 A5 by RNE U straight from entry
ep("P25","01/01/2014","S","C1","U4","01/05/2014","X1"); ep("P25","01/05/2014","U","E1","A5","01/06/2015","E12"); ad1("P25","01/04/2014")
# P29 two decisions, first ceased, second active
ep("P29","01/01/2015","S","E1","U6",CL,"E8"); pa("P29","01/02/2015","01/05/2015"); pa("P29","01/07/2015")
# P30 A placement only in an earlier period; waiting in the current one
ep("P30","01/01/2013","S","E1","A6","01/06/2013","E8"); ep("P30","01/01/2015","S","C1","U6",CL,"E8"); pa("P30","01/03/2015")
# R1/R2: 2016-17 means of 100.5 and 0.5
ep("R1","01/01/2016","S","E1","U6","10/04/2016","X1"); ep("R1","10/04/2016","P","E1","A6","01/08/2016","E11"); ad1("R1","01/01/2016")
ep("R2","01/01/2016","S","E1","U6","11/04/2016","X1"); ep("R2","11/04/2016","P","E1","A6","01/09/2016","E11"); ad1("R2","02/01/2016")
# W01-W16: 2017-18 A3 = 3/16 = 18.75 -> 18.8
for i in range(1,17):
    c=f"W{i:02d}"; ep(c, "01/01/2018" if i<=3 else "01/01/2015","S","E1","U6","",""); pa(c,"01/02/2018" if i<=3 else "01/06/2015")
ep("X1","01/01/2017","S","C1","U6","01/02/2018","E8")
ep("X2","01/01/2018","S","C1","U6","01/06/2018","E8",to=E2)
pa("X2","01/05/2018","01/06/2018",to=PA2)
import csv
H=["CHILD","DECOM","RNE","LS","CIN","PLACE","PLACE_PROVIDER","DEC","REC","REASON_PLACE_CHANGE","HOME_POST","PL_POST","URN"]
def w(p,h,rows):
    with open(p,"w",newline="") as f:
        x=csv.writer(f); x.writerow(h); x.writerows(rows)
w(os.path.join(OUT,"d1/episodes.csv"),H,E); w(os.path.join(OUT,"d2/episodes.csv"),H,E2)
w(os.path.join(OUT,"d1/ad1.csv"),["CHILD","DOB","DATE_INT","DATE_MATCH","FOSTER_CARE","NB_ADOPTR","SEX_ADOPTR","LS_ADOPTR"],AD)
PH=["CHILD","DOB","DATE_PLACED","DATE_PLACED_CEASED","REASON_PLACED_CEASED"]
w(os.path.join(OUT,"d1/placed_adoption.csv"),PH,PA); w(os.path.join(OUT,"d2/placed_adoption.csv"),PH,PA2)
