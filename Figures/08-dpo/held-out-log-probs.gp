# DPO at β = 0.1: log π of the chosen and rejected answers of held-out pairs
# Render from this directory: gnuplot held-out-log-probs.gp  (writes held-out-log-probs.png)
if (!exists("outfile")) outfile = 'held-out-log-probs.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'DPO at β = 0.1: log π of the chosen and rejected answers of held-out pairs'
set xlabel 'step'
set ylabel 'mean log π(y|x) (nats)'
set key bottom left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'held-out-log-probs.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'chosen', \
     'held-out-log-probs.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'rejected'
