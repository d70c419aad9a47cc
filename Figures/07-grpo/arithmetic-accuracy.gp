# GRPO on a verifiable reward: held-out accuracy
# Render from this directory: gnuplot arithmetic-accuracy.gp  (writes arithmetic-accuracy.png)
if (!exists("outfile")) outfile = 'arithmetic-accuracy.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'GRPO on a verifiable reward: held-out accuracy'
set xlabel 'GRPO step'
set ylabel 'share of right answers'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'arithmetic-accuracy.dat' index 0 using 1:($2-$3):($2+$3) with filledcurves lc 1 notitle, \
     'arithmetic-accuracy.dat' index 1 using 1:($2-$3):($2+$3) with filledcurves lc 2 notitle, \
     'arithmetic-accuracy.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'grpo', \
     'arithmetic-accuracy.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'dr_grpo'
