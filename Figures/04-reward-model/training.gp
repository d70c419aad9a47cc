# Reward model training: loss and accuracy
# Render from this directory: gnuplot training.gp  (writes training.png)
if (!exists("outfile")) outfile = 'training.png'
set terminal pngcairo size 800,619 noenhanced font 'Sans,11'
set output outfile
set title 'Reward model training: loss and accuracy'
set xlabel 'optimizer step'
set ylabel 'loss (nats) and accuracy (share)'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [0:200]
set yrange [0.454257638:1.15240234]
set style fill transparent solid 0.2 noborder
set arrow from first 100, graph 0 to first 100, graph 1 nohead dt 6 lw 1.5 lc rgb '#333333' front
set label 'end of epoch 1' at first 100, graph 0.96 offset 0.5,0 front
plot 'training.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training loss (20-step mean)', \
     'training.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'held-out loss', \
     'training.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'training accuracy (20-step mean)', \
     'training.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'held-out accuracy vs annotators', \
     0.719414265 with lines dt 2 lw 1.5 lc rgb '#333333' title 'human baseline', \
     0.812633073 with lines dt 4 lw 1.5 lc rgb '#333333' title 'ceiling (gold order)'
