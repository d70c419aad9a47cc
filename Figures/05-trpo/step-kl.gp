# KL(π_old ‖ π_new) of every accepted TRPO step, against the limit δ
# Render from this directory: gnuplot step-kl.gp  (writes step-kl.png)
if (!exists("outfile")) outfile = 'step-kl.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'KL(π_old ‖ π_new) of every accepted TRPO step, against the limit δ'
set xlabel 'update'
set ylabel 'mean KL per state (nats)'
set key outside below center horizontal Left reverse samplen 2 maxcols 3 height 1
set grid
set xrange [0.56:12.44]
set yrange [0.00475:0.01025]
plot 'step-kl.dat' index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'accepted step', \
     0.01 with lines dt 2 lw 1.5 lc rgb '#333333' title 'δ', \
     0.005 with lines dt 4 lw 1.5 lc rgb '#333333' title '½δ'
