# KL estimators per token: bias (mean − exact) and spread, as the policy drifts
# Render from this directory: gnuplot kl-estimators.gp  (writes kl-estimators.png)
if (!exists("outfile")) outfile = 'kl-estimators.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'KL estimators per token: bias (mean − exact) and spread, as the policy drifts'
set xlabel 'exact KL per token (nats)'
set ylabel 'nats'
set key outside below center horizontal Left reverse samplen 2 maxcols 5 height 1
set grid
set xrange [0:1.57830422]
set yrange [-0.690719076:11.921548]
set style fill transparent solid 0.2 noborder
plot 'kl-estimators.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'k1 bias', \
     'kl-estimators.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'k2 bias', \
     'kl-estimators.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'k3 bias', \
     'kl-estimators.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'k1 std', \
     'kl-estimators.dat' index 4 using 1:2 with lines lw 2 lc 5 title 'k2 std', \
     'kl-estimators.dat' index 5 using 1:2 with lines lw 2 lc 6 title 'k3 std'
