# REINFORCE on the engaging-question reward: mean ± std over 3 seeds
# Render from this directory: gnuplot reinforce-baselines.gp  (writes reinforce-baselines.png)
if (!exists("outfile")) outfile = 'reinforce-baselines.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'REINFORCE on the engaging-question reward: mean ± std over 3 seeds'
set xlabel 'REINFORCE step'
set ylabel 'mean reward of the batch (points, max 1.5)'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'reinforce-baselines.dat' index 0 using 1:($2-$3):($2+$3) with filledcurves lc 1 notitle, \
     'reinforce-baselines.dat' index 1 using 1:($2-$3):($2+$3) with filledcurves lc 2 notitle, \
     'reinforce-baselines.dat' index 2 using 1:($2-$3):($2+$3) with filledcurves lc 3 notitle, \
     'reinforce-baselines.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'no baseline', \
     'reinforce-baselines.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'batch-mean baseline', \
     'reinforce-baselines.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'leave-one-out baseline'
