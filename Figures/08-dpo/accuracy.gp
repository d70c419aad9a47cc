# DPO: share of pairs the implicit reward ranks like the label
# Render from this directory: gnuplot accuracy.gp  (writes accuracy.png)
if (!exists("outfile")) outfile = 'accuracy.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'DPO: share of pairs the implicit reward ranks like the label'
set xlabel 'step'
set ylabel 'accuracy'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'accuracy.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training batch', \
     'accuracy.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'a quarter of the held-out pairs'
