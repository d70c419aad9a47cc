# How far each update moved the policy: KL(π_old ‖ π_new) per state, measured
# Render from this directory: gnuplot step-size.gp  (writes step-size.png)
if (!exists("outfile")) outfile = 'step-size.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'How far each update moved the policy: KL(π_old ‖ π_new) per state, measured'
set xlabel 'update'
set ylabel 'mean KL per state (nats)'
set key top right box opaque
set grid
set logscale y
set format y '%g'
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'step-size.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'vanilla PG', \
     'step-size.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'TRPO', \
     0.01 with lines dt 2 lw 1.5 lc rgb '#333333' title 'δ'
