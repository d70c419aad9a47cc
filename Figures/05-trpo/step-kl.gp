# KL(π_old ‖ π_new) of every accepted TRPO step, against the limit δ
# Render from this directory: gnuplot step-kl.gp  (writes step-kl.png)
if (!exists("outfile")) outfile = 'step-kl.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'KL(π_old ‖ π_new) of every accepted TRPO step, against the limit δ'
set xlabel 'update'
set ylabel 'mean KL per state (nats)'
set key bottom right box opaque
set grid
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot 'step-kl.dat' index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'accepted step', \
     0.01 with lines dt 2 lw 1.5 lc rgb '#333333' title 'δ'
