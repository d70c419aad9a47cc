# How far each update moved the policy: KL(π_old ‖ π_new) per state, measured
# Render from this directory: gnuplot step-size.gp  (writes step-size.png)
if (!exists("outfile")) outfile = 'step-size.png'
set terminal pngcairo size 800,568 noenhanced font 'Sans,11'
set output outfile
set title 'How far each update moved the policy: KL(π_old ‖ π_new) per state, measured'
set xlabel 'update'
set ylabel 'mean KL per state (nats)'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set logscale y
set format y '%g'
set xrange [1:12]
set yrange [0.00109052759:0.445558052]
set ytics (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
set style fill transparent solid 0.2 noborder
plot 'step-size.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'vanilla PG, lr 0.004', \
     'step-size.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'TRPO, δ = 0.01', \
     'step-size.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'vanilla PG, lr 0.02', \
     'step-size.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'TRPO, δ = 0.05', \
     0.01 with lines dt 2 lw 1.5 lc rgb '#333333' title 'δ = 0.01', \
     0.05 with lines dt 4 lw 1.5 lc rgb '#333333' title 'δ = 0.05'
