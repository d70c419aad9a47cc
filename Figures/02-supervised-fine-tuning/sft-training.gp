# SFT: training and held-out loss on the response tokens
# Render from this directory: gnuplot sft-training.gp  (writes sft-training.png)
if (!exists("outfile")) outfile = 'sft-training.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'SFT: training and held-out loss on the response tokens'
set xlabel 'optimizer step'
set ylabel 'cross-entropy (nats/token)'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [0:600]
set yrange [0.0873451693:1.92840446]
set style fill transparent solid 0.2 noborder
plot 'sft-training.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training batches, with replay (20-step mean)', \
     'sft-training.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'held-out demonstrations'
