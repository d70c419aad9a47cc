# DPO at β = 0.1: share of pairs the implicit reward ranks like the label
# Render from this directory: gnuplot accuracy.gp  (writes accuracy.png)
if (!exists("outfile")) outfile = 'accuracy.png'
set terminal pngcairo size 800,568 noenhanced font 'Sans,11'
set output outfile
set title 'DPO at β = 0.1: share of pairs the implicit reward ranks like the label'
set xlabel 'step'
set ylabel 'accuracy'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [0:100]
set yrange [0.45881767:0.597387368]
set style fill transparent solid 0.2 noborder
plot 'accuracy.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training batch, before its update (10-step mean)', \
     'accuracy.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'held-out pairs of every fourth prompt (170)', \
     0.5 with lines dt 2 lw 1.5 lc rgb '#333333' title 'chance'
