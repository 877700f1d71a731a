set object 1 rect from first 15.0001, graph 0 to first 17.0422, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 1 'kill' at first 15.0001, graph 0.96 font ',8' tc rgb '#a02020'
set object 2 rect from first 45.0012, graph 0 to first 45.8012, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 2 'cut' at first 45.0012, graph 0.96 font ',8' tc rgb '#a02020'
set object 3 rect from first 75.0002, graph 0 to first 80.0003, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 3 'stall' at first 75.0002, graph 0.96 font ',8' tc rgb '#a02020'
set object 4 rect from first 105.001, graph 0 to first 115.006, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 4 'throttle' at first 105.001, graph 0.96 font ',8' tc rgb '#a02020'
set object 5 rect from first 135, graph 0 to first 137.045, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 5 'kill' at first 135, graph 0.96 font ',8' tc rgb '#a02020'
set object 6 rect from first 165, graph 0 to first 165.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 6 'cut' at first 165, graph 0.96 font ',8' tc rgb '#a02020'
set object 7 rect from first 195, graph 0 to first 200.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 7 'stall' at first 195, graph 0.96 font ',8' tc rgb '#a02020'
set object 8 rect from first 225, graph 0 to first 235.007, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 8 'throttle' at first 225, graph 0.96 font ',8' tc rgb '#a02020'
set object 9 rect from first 255.001, graph 0 to first 257.031, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 9 'kill' at first 255.001, graph 0.96 font ',8' tc rgb '#a02020'
set object 10 rect from first 285, graph 0 to first 285.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 10 'cut' at first 285, graph 0.96 font ',8' tc rgb '#a02020'
set object 11 rect from first 315, graph 0 to first 320.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 11 'stall' at first 315, graph 0.96 font ',8' tc rgb '#a02020'
set object 12 rect from first 345, graph 0 to first 355.002, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 12 'throttle' at first 345, graph 0.96 font ',8' tc rgb '#a02020'
set object 13 rect from first 375, graph 0 to first 377.028, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 13 'kill' at first 375, graph 0.96 font ',8' tc rgb '#a02020'
set object 14 rect from first 405, graph 0 to first 405.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 14 'cut' at first 405, graph 0.96 font ',8' tc rgb '#a02020'
set object 15 rect from first 435.001, graph 0 to first 440.002, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 15 'stall' at first 435.001, graph 0.96 font ',8' tc rgb '#a02020'
set object 16 rect from first 465, graph 0 to first 475.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 16 'throttle' at first 465, graph 0.96 font ',8' tc rgb '#a02020'
set object 17 rect from first 495.003, graph 0 to first 497.033, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 17 'kill' at first 495.003, graph 0.96 font ',8' tc rgb '#a02020'
set object 18 rect from first 525, graph 0 to first 525.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 18 'cut' at first 525, graph 0.96 font ',8' tc rgb '#a02020'
set object 19 rect from first 555, graph 0 to first 560.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 19 'stall' at first 555, graph 0.96 font ',8' tc rgb '#a02020'
set object 20 rect from first 585, graph 0 to first 595, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 20 'throttle' at first 585, graph 0.96 font ',8' tc rgb '#a02020'
set object 21 rect from first 615.003, graph 0 to first 617.055, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 21 'kill' at first 615.003, graph 0.96 font ',8' tc rgb '#a02020'
set object 22 rect from first 645, graph 0 to first 645.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 22 'cut' at first 645, graph 0.96 font ',8' tc rgb '#a02020'
set object 23 rect from first 675, graph 0 to first 680.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 23 'stall' at first 675, graph 0.96 font ',8' tc rgb '#a02020'
set object 24 rect from first 705, graph 0 to first 715.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 24 'throttle' at first 705, graph 0.96 font ',8' tc rgb '#a02020'
set object 25 rect from first 735, graph 0 to first 737.029, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 25 'kill' at first 735, graph 0.96 font ',8' tc rgb '#a02020'
set object 26 rect from first 765, graph 0 to first 765.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 26 'cut' at first 765, graph 0.96 font ',8' tc rgb '#a02020'
set object 27 rect from first 795.001, graph 0 to first 800.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 27 'stall' at first 795.001, graph 0.96 font ',8' tc rgb '#a02020'
set object 28 rect from first 825, graph 0 to first 835.001, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 28 'throttle' at first 825, graph 0.96 font ',8' tc rgb '#a02020'
set object 29 rect from first 855.005, graph 0 to first 857.053, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 29 'kill' at first 855.005, graph 0.96 font ',8' tc rgb '#a02020'
set object 30 rect from first 885, graph 0 to first 885.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 30 'cut' at first 885, graph 0.96 font ',8' tc rgb '#a02020'
set object 31 rect from first 915, graph 0 to first 920.004, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 31 'stall' at first 915, graph 0.96 font ',8' tc rgb '#a02020'
set object 32 rect from first 945, graph 0 to first 955.004, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 32 'throttle' at first 945, graph 0.96 font ',8' tc rgb '#a02020'
set object 33 rect from first 975.004, graph 0 to first 977.037, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 33 'kill' at first 975.004, graph 0.96 font ',8' tc rgb '#a02020'
set object 34 rect from first 1005, graph 0 to first 1005.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 34 'cut' at first 1005, graph 0.96 font ',8' tc rgb '#a02020'
set object 35 rect from first 1035, graph 0 to first 1040, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 35 'stall' at first 1035, graph 0.96 font ',8' tc rgb '#a02020'
set object 36 rect from first 1065.05, graph 0 to first 1075.05, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 36 'throttle' at first 1065.05, graph 0.96 font ',8' tc rgb '#a02020'
set object 37 rect from first 1095, graph 0 to first 1097.08, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 37 'kill' at first 1095, graph 0.96 font ',8' tc rgb '#a02020'
set object 38 rect from first 1125, graph 0 to first 1125.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 38 'cut' at first 1125, graph 0.96 font ',8' tc rgb '#a02020'
set object 39 rect from first 1155, graph 0 to first 1160, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 39 'stall' at first 1155, graph 0.96 font ',8' tc rgb '#a02020'
set object 40 rect from first 1185, graph 0 to first 1195, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 40 'throttle' at first 1185, graph 0.96 font ',8' tc rgb '#a02020'
set object 41 rect from first 1215, graph 0 to first 1217.05, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 41 'kill' at first 1215, graph 0.96 font ',8' tc rgb '#a02020'
set object 42 rect from first 1245, graph 0 to first 1245.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 42 'cut' at first 1245, graph 0.96 font ',8' tc rgb '#a02020'
set object 43 rect from first 1275, graph 0 to first 1280, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 43 'stall' at first 1275, graph 0.96 font ',8' tc rgb '#a02020'
set object 44 rect from first 1305, graph 0 to first 1315, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 44 'throttle' at first 1305, graph 0.96 font ',8' tc rgb '#a02020'
set object 45 rect from first 1335, graph 0 to first 1337.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 45 'kill' at first 1335, graph 0.96 font ',8' tc rgb '#a02020'
set object 46 rect from first 1365, graph 0 to first 1365.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 46 'cut' at first 1365, graph 0.96 font ',8' tc rgb '#a02020'
set object 47 rect from first 1395, graph 0 to first 1400, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 47 'stall' at first 1395, graph 0.96 font ',8' tc rgb '#a02020'
set object 48 rect from first 1425, graph 0 to first 1435, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 48 'throttle' at first 1425, graph 0.96 font ',8' tc rgb '#a02020'
set object 49 rect from first 1455, graph 0 to first 1457.04, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 49 'kill' at first 1455, graph 0.96 font ',8' tc rgb '#a02020'
set object 50 rect from first 1485, graph 0 to first 1485.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 50 'cut' at first 1485, graph 0.96 font ',8' tc rgb '#a02020'
set object 51 rect from first 1515, graph 0 to first 1520, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 51 'stall' at first 1515, graph 0.96 font ',8' tc rgb '#a02020'
set object 52 rect from first 1545, graph 0 to first 1555, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 52 'throttle' at first 1545, graph 0.96 font ',8' tc rgb '#a02020'
set object 53 rect from first 1575, graph 0 to first 1577.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 53 'kill' at first 1575, graph 0.96 font ',8' tc rgb '#a02020'
set object 54 rect from first 1605, graph 0 to first 1605.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 54 'cut' at first 1605, graph 0.96 font ',8' tc rgb '#a02020'
set object 55 rect from first 1635, graph 0 to first 1640, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 55 'stall' at first 1635, graph 0.96 font ',8' tc rgb '#a02020'
set object 56 rect from first 1665, graph 0 to first 1675, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 56 'throttle' at first 1665, graph 0.96 font ',8' tc rgb '#a02020'
set object 57 rect from first 1695, graph 0 to first 1697.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 57 'kill' at first 1695, graph 0.96 font ',8' tc rgb '#a02020'
set object 58 rect from first 1725, graph 0 to first 1725.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 58 'cut' at first 1725, graph 0.96 font ',8' tc rgb '#a02020'
set object 59 rect from first 1755, graph 0 to first 1760, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 59 'stall' at first 1755, graph 0.96 font ',8' tc rgb '#a02020'
set object 60 rect from first 1785, graph 0 to first 1795, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 60 'throttle' at first 1785, graph 0.96 font ',8' tc rgb '#a02020'
set object 61 rect from first 1815, graph 0 to first 1817.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 61 'kill' at first 1815, graph 0.96 font ',8' tc rgb '#a02020'
set object 62 rect from first 1845, graph 0 to first 1845.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 62 'cut' at first 1845, graph 0.96 font ',8' tc rgb '#a02020'
set object 63 rect from first 1875, graph 0 to first 1880, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 63 'stall' at first 1875, graph 0.96 font ',8' tc rgb '#a02020'
set object 64 rect from first 1905, graph 0 to first 1915, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 64 'throttle' at first 1905, graph 0.96 font ',8' tc rgb '#a02020'
set object 65 rect from first 1935, graph 0 to first 1937.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 65 'kill' at first 1935, graph 0.96 font ',8' tc rgb '#a02020'
set object 66 rect from first 1965, graph 0 to first 1965.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 66 'cut' at first 1965, graph 0.96 font ',8' tc rgb '#a02020'
set object 67 rect from first 1995, graph 0 to first 2000, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 67 'stall' at first 1995, graph 0.96 font ',8' tc rgb '#a02020'
set object 68 rect from first 2025, graph 0 to first 2035, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 68 'throttle' at first 2025, graph 0.96 font ',8' tc rgb '#a02020'
set object 69 rect from first 2055, graph 0 to first 2057.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 69 'kill' at first 2055, graph 0.96 font ',8' tc rgb '#a02020'
set object 70 rect from first 2085, graph 0 to first 2085.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 70 'cut' at first 2085, graph 0.96 font ',8' tc rgb '#a02020'
set object 71 rect from first 2115, graph 0 to first 2120, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 71 'stall' at first 2115, graph 0.96 font ',8' tc rgb '#a02020'
set object 72 rect from first 2145, graph 0 to first 2155, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 72 'throttle' at first 2145, graph 0.96 font ',8' tc rgb '#a02020'
set object 73 rect from first 2175, graph 0 to first 2177.06, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 73 'kill' at first 2175, graph 0.96 font ',8' tc rgb '#a02020'
set object 74 rect from first 2205, graph 0 to first 2205.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 74 'cut' at first 2205, graph 0.96 font ',8' tc rgb '#a02020'
set object 75 rect from first 2235, graph 0 to first 2240, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 75 'stall' at first 2235, graph 0.96 font ',8' tc rgb '#a02020'
set object 76 rect from first 2265, graph 0 to first 2275, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 76 'throttle' at first 2265, graph 0.96 font ',8' tc rgb '#a02020'
set object 77 rect from first 2295, graph 0 to first 2297.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 77 'kill' at first 2295, graph 0.96 font ',8' tc rgb '#a02020'
set object 78 rect from first 2325, graph 0 to first 2325.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 78 'cut' at first 2325, graph 0.96 font ',8' tc rgb '#a02020'
set object 79 rect from first 2355, graph 0 to first 2360, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 79 'stall' at first 2355, graph 0.96 font ',8' tc rgb '#a02020'
set object 80 rect from first 2385, graph 0 to first 2395, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 80 'throttle' at first 2385, graph 0.96 font ',8' tc rgb '#a02020'
set object 81 rect from first 2415, graph 0 to first 2417.04, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 81 'kill' at first 2415, graph 0.96 font ',8' tc rgb '#a02020'
set object 82 rect from first 2445, graph 0 to first 2445.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 82 'cut' at first 2445, graph 0.96 font ',8' tc rgb '#a02020'
set object 83 rect from first 2475, graph 0 to first 2480, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 83 'stall' at first 2475, graph 0.96 font ',8' tc rgb '#a02020'
set object 84 rect from first 2505, graph 0 to first 2515, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 84 'throttle' at first 2505, graph 0.96 font ',8' tc rgb '#a02020'
set object 85 rect from first 2535, graph 0 to first 2537.02, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 85 'kill' at first 2535, graph 0.96 font ',8' tc rgb '#a02020'
set object 86 rect from first 2565, graph 0 to first 2565.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 86 'cut' at first 2565, graph 0.96 font ',8' tc rgb '#a02020'
set object 87 rect from first 2595, graph 0 to first 2600, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 87 'stall' at first 2595, graph 0.96 font ',8' tc rgb '#a02020'
set object 88 rect from first 2625, graph 0 to first 2635, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 88 'throttle' at first 2625, graph 0.96 font ',8' tc rgb '#a02020'
set object 89 rect from first 2655, graph 0 to first 2657.04, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 89 'kill' at first 2655, graph 0.96 font ',8' tc rgb '#a02020'
set object 90 rect from first 2685, graph 0 to first 2685.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 90 'cut' at first 2685, graph 0.96 font ',8' tc rgb '#a02020'
set object 91 rect from first 2715, graph 0 to first 2720, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 91 'stall' at first 2715, graph 0.96 font ',8' tc rgb '#a02020'
set object 92 rect from first 2745, graph 0 to first 2755, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 92 'throttle' at first 2745, graph 0.96 font ',8' tc rgb '#a02020'
set object 93 rect from first 2775, graph 0 to first 2777.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 93 'kill' at first 2775, graph 0.96 font ',8' tc rgb '#a02020'
set object 94 rect from first 2805, graph 0 to first 2805.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 94 'cut' at first 2805, graph 0.96 font ',8' tc rgb '#a02020'
set object 95 rect from first 2835, graph 0 to first 2840, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 95 'stall' at first 2835, graph 0.96 font ',8' tc rgb '#a02020'
set object 96 rect from first 2865, graph 0 to first 2875, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 96 'throttle' at first 2865, graph 0.96 font ',8' tc rgb '#a02020'
set object 97 rect from first 2895, graph 0 to first 2897.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 97 'kill' at first 2895, graph 0.96 font ',8' tc rgb '#a02020'
set object 98 rect from first 2925, graph 0 to first 2925.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 98 'cut' at first 2925, graph 0.96 font ',8' tc rgb '#a02020'
set object 99 rect from first 2955, graph 0 to first 2960, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 99 'stall' at first 2955, graph 0.96 font ',8' tc rgb '#a02020'
set object 100 rect from first 2985, graph 0 to first 2995, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 100 'throttle' at first 2985, graph 0.96 font ',8' tc rgb '#a02020'
set object 101 rect from first 3015, graph 0 to first 3017.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 101 'kill' at first 3015, graph 0.96 font ',8' tc rgb '#a02020'
set object 102 rect from first 3045, graph 0 to first 3045.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 102 'cut' at first 3045, graph 0.96 font ',8' tc rgb '#a02020'
set object 103 rect from first 3075, graph 0 to first 3080, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 103 'stall' at first 3075, graph 0.96 font ',8' tc rgb '#a02020'
set object 104 rect from first 3105, graph 0 to first 3115, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 104 'throttle' at first 3105, graph 0.96 font ',8' tc rgb '#a02020'
set object 105 rect from first 3135, graph 0 to first 3137.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 105 'kill' at first 3135, graph 0.96 font ',8' tc rgb '#a02020'
set object 106 rect from first 3165, graph 0 to first 3165.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 106 'cut' at first 3165, graph 0.96 font ',8' tc rgb '#a02020'
set object 107 rect from first 3195, graph 0 to first 3200, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 107 'stall' at first 3195, graph 0.96 font ',8' tc rgb '#a02020'
set object 108 rect from first 3225, graph 0 to first 3235, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 108 'throttle' at first 3225, graph 0.96 font ',8' tc rgb '#a02020'
set object 109 rect from first 3255, graph 0 to first 3257.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 109 'kill' at first 3255, graph 0.96 font ',8' tc rgb '#a02020'
set object 110 rect from first 3285, graph 0 to first 3285.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 110 'cut' at first 3285, graph 0.96 font ',8' tc rgb '#a02020'
set object 111 rect from first 3315, graph 0 to first 3320, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 111 'stall' at first 3315, graph 0.96 font ',8' tc rgb '#a02020'
set object 112 rect from first 3345, graph 0 to first 3355, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 112 'throttle' at first 3345, graph 0.96 font ',8' tc rgb '#a02020'
set object 113 rect from first 3375, graph 0 to first 3377.03, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 113 'kill' at first 3375, graph 0.96 font ',8' tc rgb '#a02020'
set object 114 rect from first 3405, graph 0 to first 3405.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 114 'cut' at first 3405, graph 0.96 font ',8' tc rgb '#a02020'
set object 115 rect from first 3435, graph 0 to first 3440, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 115 'stall' at first 3435, graph 0.96 font ',8' tc rgb '#a02020'
set object 116 rect from first 3465, graph 0 to first 3475, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 116 'throttle' at first 3465, graph 0.96 font ',8' tc rgb '#a02020'
set object 117 rect from first 3495, graph 0 to first 3497.04, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 117 'kill' at first 3495, graph 0.96 font ',8' tc rgb '#a02020'
set object 118 rect from first 3525, graph 0 to first 3525.8, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 118 'cut' at first 3525, graph 0.96 font ',8' tc rgb '#a02020'
set object 119 rect from first 3555, graph 0 to first 3560, graph 1 fc rgb '#f4a0a0' fs solid 0.35 noborder behind
set label 119 'stall' at first 3555, graph 0.96 font ',8' tc rgb '#a02020'
