# Reward model accuracy during training
# Render from this directory: gnuplot training.gp  (writes training.png)
if (!exists("outfile")) outfile = 'training.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Reward model accuracy during training'
set xlabel 'optimizer step'
set ylabel 'accuracy (share of pairs ranked like the label)'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'training.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training batches (10-step mean)', \
     'training.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'held-out pairs vs annotators', \
     0.712485137 with lines dt 2 lw 1.5 lc rgb '#333333' title 'annotator agreement (ceiling)', \
     0.641236623 with lines dt 4 lw 1.5 lc rgb '#333333' title '90% of the ceiling'
