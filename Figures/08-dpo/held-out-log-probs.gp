# DPO at β = 0.1: mean log π of the chosen and rejected answers of held-out pairs
# Render from this directory: gnuplot held-out-log-probs.gp  (writes held-out-log-probs.png)
if (!exists("outfile")) outfile = 'held-out-log-probs.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'DPO at β = 0.1: mean log π of the chosen and rejected answers of held-out pairs'
set xlabel 'step'
set ylabel 'mean log π(y|x) (nats)'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [0:100]
set yrange [-31.3360246:-30.173701]
set style fill transparent solid 0.2 noborder
plot 'held-out-log-probs.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'chosen', \
     'held-out-log-probs.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'rejected'
